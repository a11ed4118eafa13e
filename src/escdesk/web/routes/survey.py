"""The satisfaction survey page (R-SLA-4): no sign-in, the link is the key.

The form carries no CSRF token: nothing but the link grants anything here, and a page of
another site cannot know the link. Only the escalation's customer name and customer summary
are shown, under the company's name.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.survey import SCORES, Answer, SurveyLink
from escdesk.http.deps import NowDep, SettingsDep, UowDep
from escdesk.services.surveys import answer_survey, survey_link
from escdesk.web.errors import PageRoute
from escdesk.web.pages import render
from escdesk.web.routes.status import company_of

router = APIRouter(route_class=PageRoute)


def _page(
    request: Request,
    context: dict[str, object],
    now: NowDep,
    settings: SettingsDep,
    status: int = 200,
) -> Response:
    """The page under the company's name, as the status page (never escdesk's)."""
    frame = {"bare": True, "scores": SCORES, "company": company_of(settings)}
    link = context.get("link")
    if isinstance(link, SurveyLink):
        frame["viewer_tz"] = link.timezone  # the account's clock, as on the status page
    response = render(
        request,
        "survey/answer.html",
        {**frame, **context},
        now=now,
        status_code=status,
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@router.get("/survey/{token}")
def survey_page(
    request: Request, token: str, uow: UowDep, now: NowDep, settings: SettingsDep
) -> Response:
    link = survey_link(uow, token)
    return _page(request, {"link": link, "state": link.state(now)}, now, settings)


@router.post("/survey/{token}")
async def survey_answer(
    request: Request, token: str, uow: UowDep, now: NowDep, settings: SettingsDep
) -> Response:
    link = survey_link(uow, token)
    form = await request.form()
    score, comment = form.get("score"), form.get("comment")
    try:
        answer = Answer.parse(
            score if isinstance(score, str) else None, comment if isinstance(comment, str) else None
        )
        link = answer_survey(uow, token, answer, now)
    except (InvalidInput, StateRefused) as refused:
        status = 422 if isinstance(refused, InvalidInput) else 409
        context = {"link": link, "state": link.state(now), "error": str(refused)}
        return _page(request, context, now, settings, status)
    return _page(request, {"link": link, "state": "answered", "thanked": True}, now, settings)
