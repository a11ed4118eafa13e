"""The one place where the pages turn errors into something a person can act on.

Every page route is a `PageRoute`. An escdesk error raised by a posted form is shown next to that
form, on the page it came from, with what the person typed still in it; any other error gets a
page of its own that says what went wrong and where to go. No traceback ever reaches a browser.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass
from dataclasses import field as default
from typing import Any
from urllib.parse import quote

from fastapi import HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from escdesk.domain.access import SignInRequired
from escdesk.domain.errors import (
    AlreadyOpen,
    Conflict,
    DatabaseUnavailable,
    EscdeskError,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleRefused,
    TooManyAttempts,
)
from escdesk.web.pages import render

log = logging.getLogger(__name__)

STATUS = {
    InvalidInput: 422,
    RuleRefused: 422,
    Conflict: 409,
    AlreadyOpen: 409,
    Forbidden: 403,
    NotFound: 404,
    TooManyAttempts: 429,
    DatabaseUnavailable: 503,
}
UNAVAILABLE = (
    "escdesk cannot reach its database right now, so it cannot show or save this. Nothing "
    "you submitted was saved. Try again in a minute; if it lasts, tell your administrator."
)


@dataclass(frozen=True)
class FormError:
    """What a form shows when the service refused it."""

    form: str
    status: int
    message: str
    rule: str | None = None
    missing: list[str] = default(default_factory=list)
    field: str | None = None
    values: Mapping[str, str] = default(default_factory=dict)
    link: str | None = None  # where the refusal points: the open escalation to add to


ShowAgain = Callable[[Request, FormError], Response]


def on_error_show(request: Request, form: str, show_again: ShowAgain) -> None:
    """Declare, before calling the service, which page shows this form again if it fails."""
    request.state.form_retry = (form, show_again)


def form_error(form: str, error: EscdeskError, values: Mapping[str, str]) -> FormError:
    status = _status(error)
    if isinstance(error, InvalidInput):
        said = (
            _capitalised(error.problem)
            if error.also
            else f"{_sentence(error.field)} {error.problem}"
        )
        text = f"{said}. {error.fix}."
        return FormError(form, status, text, field=error.field, values=values)
    if isinstance(error, RuleRefused):
        missing = [need.what for need in error.missing]
        text = f"{_capitalised(error.problem)}."  # the rule's id is for the API and the CLI
        return FormError(form, status, text, error.rule_id, missing, values=values)
    if isinstance(error, AlreadyOpen):
        text = (
            f"{error.customer} already has an open escalation, ESC-{error.escalation_id} "
            f"({error.severity}): {error.summary}. Add to it there, or open a second one anyway."
        )
        link = f"/escalations/{error.escalation_id}"
        return FormError(form, status, text, field=error.field, values=values, link=link)
    if isinstance(error, Conflict):
        text = (
            f"Someone else changed this {error.kind} while you were writing. The page now shows "
            "the latest state; check it and submit again."
        )
        return FormError(form, status, text, values=values)
    if isinstance(error, DatabaseUnavailable):
        log.warning("page %s", error.message)
        return FormError(form, status, UNAVAILABLE, values=values)
    return FormError(form, status, error.message, values=values)


_ACRONYMS = {"eta": "ETA", "dri": "DRI", "csm": "CSM", "arr": "ARR", "rca": "RCA", "pm": "PM"}


def words(name: str) -> str:
    """A field name as a form labels it: 'product_dri' → 'product DRI'."""
    return " ".join(_ACRONYMS.get(part, part) for part in name.split("_"))


def _sentence(name: str) -> str:
    return _capitalised(words(name))


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _status(error: Exception) -> int:
    for kind, status in STATUS.items():
        if isinstance(error, kind):
            return status
    return 400


class PageRoute(APIRoute):
    """A route whose errors become pages (or inline form errors), never problem+json."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInRequired:
                return _to_sign_in(request)
            except EscdeskError as error:
                return await _show(request, error)
            except RequestValidationError as error:
                return _invalid_address(request, error)
            except HTTPException as error:
                if error.status_code == 401:
                    return _to_sign_in(request)
                return _error_page(request, error.status_code, "Refused", str(error.detail))
            except Exception:
                log.exception("page %s %s failed", request.method, request.url.path)
                return _error_page(
                    request,
                    500,
                    "Something went wrong",
                    "escdesk could not show this page. Nothing you submitted was half-saved; "
                    "try again, and tell your administrator if it keeps happening.",
                )

        return page_handler


async def _show(request: Request, error: EscdeskError) -> Response:
    retry = getattr(request.state, "form_retry", None)
    if retry is not None:
        form, show_again = retry
        fields = getattr(request.state, "form_fields", None)
        values = fields.values if fields is not None else {}
        failed = form_error(form, error, values)
        try:
            response: Response = await run_in_threadpool(show_again, request, failed)
        except EscdeskError as second:  # the page itself is gone (say, a wrong id)
            return _page_for(request, second)
        response.headers["HX-Push-Url"] = "false"
        return response
    return _page_for(request, error)


def _invalid_address(request: Request, error: RequestValidationError) -> Response:
    """A wrong id in the path is a page that does not exist; a wrong filter names itself."""
    problems = error.errors()
    if not problems or any(p.get("loc", ("path",))[0] == "path" for p in problems):
        return _error_page(request, 404, "Not found", f"There is no page at {request.url.path}.")
    first = problems[0]
    name = str(first.get("loc", ("", "value"))[-1])
    message = f"{_sentence(name)}: {str(first.get('msg', 'is not valid')).lower()}."
    return _error_page(request, 422, "Check your input", message)


def _page_for(request: Request, error: EscdeskError) -> Response:
    if isinstance(error, DatabaseUnavailable):
        log.warning("page %s %s: %s", request.method, request.url.path, error.message)
        page = _error_page(request, 503, "Database unavailable", UNAVAILABLE)
        page.headers["Retry-After"] = str(request.app.state.settings.unavailable_retry_after)
        return page
    titles = {404: "Not found", 403: "Not allowed", 409: "Refused", 422: "Check your input"}
    titles[429] = "Too many attempts"
    status = _status(error)
    return _error_page(request, status, titles.get(status, "Refused"), error.message)


def _error_page(request: Request, status: int, title: str, message: str) -> Response:
    return render(request, "error.html", {"title": title, "message": message}, status_code=status)


def _to_sign_in(request: Request) -> Response:
    """Back to this page after signing in; a form post cannot be replayed, so home instead."""
    target = "/"
    if request.method == "GET":
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = f"/login?next={quote(target, safe='')}"
    if request.headers.get("HX-Request"):
        # htmx would follow a redirect inside the page; ask it to load the sign-in page instead.
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


def render_error(request: Request, problem: dict[str, Any]) -> Response | None:
    """Asked by the app's problem handler for errors no page route caught (an unknown path)."""
    if request.url.path.startswith("/static/"):
        return None
    status = int(problem.get("status", 500))
    if status == 401:
        return _to_sign_in(request)
    if status in (404, 405):
        return _error_page(request, 404, "Not found", f"There is no page at {request.url.path}.")
    return _error_page(request, status, str(problem.get("title", "Refused")), problem["detail"])
