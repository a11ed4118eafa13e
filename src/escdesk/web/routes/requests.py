"""Escalation request pages (R-INT-1/2): the list, the form that files one, a request's page
with its score, the decision form (R-TRI-3), and the engineering work and support-written fixes
attached to it (R-FIX-1), whose closing or shipping its requester is told of."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.accounts import AccountStatus
from escdesk.domain.request import Difficulty, ProblemType, RequestStatus
from escdesk.domain.severity import Severity
from escdesk.http.deps import IndexDep, NowDep, RunnerDep, SettingsDep, UowDep, get_ticket_index
from escdesk.services import fixes, links, tickets, triage
from escdesk.services import requests as intake
from escdesk.services.desk import directory
from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.request_commands import (
    REQUEST_ORDERS,
    DecideRequest,
    FileRequest,
    LinkDuplicate,
    ListRequests,
    ShowRequest,
    SimilarToRequest,
    WithdrawRequest,
)
from escdesk.services.runner import Runner
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep, FormFields
from escdesk.web.listing import first_page, listing
from escdesk.web.pages import redirect, render
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
Filer = Annotated[Principal, Depends(allowed_to(Permission.FILE_REQUEST))]
Decider = Annotated[Principal, Depends(allowed_to(Permission.DECIDE_REQUEST))]


CHOICES = {
    "problem_types": list(ProblemType),
    "severities": sorted(Severity, key=lambda s: -s.rank),
    "difficulties": list(Difficulty),
    "businesses": list(AccountStatus),
    "statuses": list(RequestStatus),
}


def _requests_page(
    request: Request,
    run: Runner,
    principal: Principal,
    settings: SettingsDep,
    now: datetime,
    status: str,
    failed: FormError | None,
) -> Response:
    asked = first_page(request) if failed else listing(request, REQUEST_ORDERS)
    query = ListRequests.parse(
        status=status or None,
        triage=settings.triage_config(),
        limit=asked.size,
        offset=asked.offset,
        order=asked.order,
    )
    found = run.read(intake.requests_page, query, principal.actor)
    context = {"found": found, "status": status, "listing": asked, "failed": failed, **CHOICES}
    code = failed.status if failed else 200
    return render(request, "requests/list.html", context, status_code=code, now=now)


@router.get("/requests")
def request_list(
    request: Request, principal: Reader, run: RunnerDep, settings: SettingsDep, now: NowDep,
    status: str = "",
) -> Response:  # fmt: skip
    on_error_show(
        request,
        "filters",
        lambda req, failed: _requests_page(req, run, principal, settings, now, "", failed),
    )
    return _requests_page(request, run, principal, settings, now, status, None)


def _before_reinvestigating(
    uow: SqlUnitOfWork,
    run: RunnerDep,
    index: IndexDep,
    principal: Principal,
    text: str,
    now: datetime,
    exclude: int | None = None,
) -> dict[str, object]:
    """Similar earlier tickets (the similarity engine) and similar requests and escalations."""
    if not text.strip():
        return {"similar_tickets": None, "similar_records": []}
    found = tickets.similar_to_text(uow, index, text[:10_000], now=now, k=5)
    records = run.read(intake.similar_records, SimilarToRequest(text, exclude), principal.actor)
    return {"similar_tickets": found, "similar_records": records}


def _new_form(
    request: Request,
    uow: SqlUnitOfWork,
    run: RunnerDep,
    index: IndexDep,
    principal: Principal,
    now: datetime,
    failed: FormError | None,
    account: str = "",
    about: str = "",
) -> Response:
    """The form; with an account chosen, its open escalations ("add to it instead?"); with a
    few words about the problem, what looks like it."""
    chosen = account or (failed.values.get("account", "") if failed else "")
    about = about or (failed.values.get("problem", "") if failed else "")
    open_now = (
        run.read(intake.open_escalations_of, ListEscalations(account=chosen), principal.actor)
        if chosen
        else []
    )
    context = {
        "directory": directory(uow),
        "failed": failed,
        "chosen": chosen,
        "about": about,
        "open_escalations": open_now,
        **_before_reinvestigating(uow, run, index, principal, about, now),
        **CHOICES,
    }
    return render(
        request, "requests/new.html", context, status_code=failed.status if failed else 200
    )


@router.get("/requests/new")
def new_request_page(
    request: Request, principal: Filer, uow: UowDep, run: RunnerDep, index: IndexDep,
    now: NowDep, account: str = "", about: str = "",
) -> Response:  # fmt: skip
    return _new_form(request, uow, run, index, principal, now, None, account, about)


def _file_command(form: FormFields) -> FileRequest:
    return FileRequest.parse(
        account=form.optional("account"),
        kind=form.optional("kind"),
        problem=form.optional("problem"),
        problem_type=form.optional("problem_type"),
        proposed_severity=form.optional("proposed_severity"),
        workarounds=form.optional("workarounds"),
        difficulty=form.optional("difficulty"),
        dependencies=form.optional("dependencies"),
        business=form.optional("business"),
        arr=form.optional("arr"),
        deal_size=form.optional("deal_size"),
        expected_close=form.optional("expected_close"),
        other_customers=form.optional("other_customers"),
        happiness_confirmed=form.optional("happiness_confirmed"),
        tickets=form.texts("tickets"),
        skills=form.texts("skills"),
    )


@router.post("/requests/new")
def file_request(
    request: Request, principal: Filer, form: FormDep, uow: UowDep, run: RunnerDep,
    index: IndexDep, now: NowDep,
) -> Response:  # fmt: skip
    on_error_show(
        request,
        "file",
        lambda request, failed: _new_form(request, uow, run, index, principal, now, failed),
    )
    cmd = intake.with_similar_accounts(uow, index, _file_command(form), now=now)
    filed = run.run(intake.file_request, cmd, principal.actor)
    return redirect(
        f"/requests/{filed.id}",
        flash=f"REQ-{filed.id} is filed: it is on the next triage meeting's agenda.",
    )


def request_page(
    request: Request,
    run: RunnerDep,
    principal: Principal,
    settings: SettingsDep,
    request_id: int,
    failed: FormError | None = None,
) -> Response:
    query = ShowRequest(request_id, settings.triage_config())
    view = run.read(intake.show_request, query, principal.actor)
    r = view.request
    index = get_ticket_index(request)
    uow = SqlUnitOfWork(request.app.state.engine)
    similar = _before_reinvestigating(
        uow, run, index, principal, f"{r.summary}\n{r.problem}", r.filed_at, r.id
    )
    actor = principal.actor
    attached = {
        "links": run.read(links.list_links, links.ListLinks("request", request_id), actor),
        "fixes": run.read(fixes.list_fixes, fixes.ListFixes(request_id=request_id), actor),
    }
    context = {"v": view, "r": r, "failed": failed, **attached, **similar, **CHOICES}
    status = failed.status if failed else 200
    return render(request, "requests/page.html", context, status_code=status)


@router.get("/requests/{request_id}")
def show_request(
    request: Request, request_id: int, principal: Reader, run: RunnerDep, settings: SettingsDep
) -> Response:
    return request_page(request, run, principal, settings, request_id)


def decide_command(
    form: FormFields, request_id: int, settings: SettingsDep, timezone: str
) -> DecideRequest:
    """The decision form, on a request's page and in meeting mode alike; its times are typed
    in the viewer's `timezone`."""
    return DecideRequest.parse(
        request_id=request_id,
        outcome=form.text("outcome") or "backlog",
        rationale=form.text("rationale"),
        release=form.optional("release"),
        severity=form.optional("severity"),
        eta=form.moment("eta", timezone),
        initial_ask=form.optional("initial_ask"),
        skills=tuple(form.texts("skills")),
        dri=form.optional("dri"),
        gap=form.optional("gap"),
        owner=form.optional("owner"),
        due=form.moment("due", timezone),
        meeting_id=form.integer("meeting_id"),
        version=form.integer("version"),
        triage=settings.triage_config(),
    )


def _show_page_again(
    request: Request,
    form: str,
    run: RunnerDep,
    principal: Principal,
    settings: SettingsDep,
    request_id: int,
) -> None:
    """A refused form on a request's page comes back on that page, beside the form."""
    on_error_show(
        request,
        form,
        lambda request, failed: request_page(request, run, principal, settings, request_id, failed),
    )


@router.post("/requests/{request_id}/decide")
def decide(
    request: Request, request_id: int, principal: Decider, form: FormDep, run: RunnerDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    _show_page_again(request, "decide", run, principal, settings, request_id)
    decided = run.run(
        triage.decide_request,
        decide_command(form, request_id, settings, principal.timezone),
        principal.actor,
    )
    outcome = decided.status.value
    return redirect(
        f"/requests/{request_id}",
        flash=f"REQ-{request_id}: {outcome}. The requester's notice is on its way.",
    )


@router.post("/requests/{request_id}/duplicate")
def duplicate(
    request: Request, request_id: int, principal: Reader, form: FormDep, run: RunnerDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    """One click: this request duplicates the earlier request or escalation named in `of`."""
    _show_page_again(request, "duplicate", run, principal, settings, request_id)
    cmd = LinkDuplicate(request_id, form.text("of"), form.integer("version"))
    run.run(intake.link_duplicate, cmd, principal.actor)
    return redirect(
        f"/requests/{request_id}",
        flash=f"REQ-{request_id} is linked as a duplicate of {form.text('of').upper()}.",
    )


@router.post("/requests/{request_id}/withdraw")
def withdraw(
    request: Request, request_id: int, principal: Reader, form: FormDep, run: RunnerDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    _show_page_again(request, "withdraw", run, principal, settings, request_id)
    cmd = WithdrawRequest(request_id, form.text("reason"), form.integer("version"))
    run.run(intake.withdraw_request, cmd, principal.actor)
    return redirect(f"/requests/{request_id}", flash=f"REQ-{request_id} is withdrawn.")


@router.post("/requests/{request_id}/links")
def link_work(
    request: Request, request_id: int, principal: Reader, form: FormDep, run: RunnerDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    """Link the Jira, GitHub or GitLab work that answers the request."""
    _show_page_again(request, "link", run, principal, settings, request_id)
    cmd = links.AddLink("request", request_id, form.text("url"))
    link = run.run(links.add_link, cmd, principal.actor)
    return redirect(
        f"/requests/{request_id}",
        flash=f"Linked {link.parsed.tracker.value} {link.parsed.key}: the requester is told "
        "when it closes.",
    )


@router.post("/requests/{request_id}/fixes")
def attach_fix(
    request: Request, request_id: int, principal: Reader, form: FormDep, run: RunnerDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    """R-FIX-1: a support-written fix for the request, into Engineering's review queue."""
    _show_page_again(request, "fix", run, principal, settings, request_id)
    cmd = fixes.SubmitFix.parse(
        title=form.text("title"),
        kind=form.text("kind"),
        content=form.optional("content"),
        url=form.optional("url"),
        request_id=request_id,
    )
    fix = run.run(fixes.submit_fix, cmd, principal.actor)
    return redirect(
        f"/requests/{request_id}", flash=f"Fix {fix.id} is in Engineering's review queue."
    )
