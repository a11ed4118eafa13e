"""Pages of recurring issues (R-REC-1…4): the ranked list with a similar-tickets search box,
one issue with the forms that confirm, name, link, fix and merge it, and the weekly review."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput
from escdesk.domain.limits import MAX_ID
from escdesk.domain.values import parse_id
from escdesk.http.deps import IndexDep, NowDep, RunnerDep, UowDep
from escdesk.services import recurring as service
from escdesk.services import recurring_changes as change
from escdesk.services import tickets
from escdesk.services.review import weekly_issues_review
from escdesk.services.ticket_views import SimilarResult
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep
from escdesk.web.listing import first_page, listing
from escdesk.web.pages import redirect, render, safe_next
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
Keeper = Annotated[Principal, Depends(allowed_to(Permission.MANAGE_RECURRING))]
IssueKey = Annotated[int, Path(ge=1, le=MAX_ID)]


def _issue_list(
    request: Request, uow: SqlUnitOfWork, now: NowDep, failed: FormError | None
) -> Response:
    asked = first_page(request) if failed else listing(request, service.ISSUE_ORDERS)
    found = service.issues_page(
        uow, now=now, order=asked.order, limit=asked.size, offset=asked.offset
    )
    context = {"found": found, "listing": asked, "failed": failed}
    code = failed.status if failed else 200
    return render(request, "recurring/list.html", context, status_code=code, now=now)


@router.get("/recurring")
def issue_list(request: Request, principal: Reader, uow: UowDep, now: NowDep) -> Response:
    on_error_show(request, "list", lambda req, failed: _issue_list(req, uow, now, failed))
    return _issue_list(request, uow, now, None)


def _issue_page(
    request: Request, uow: SqlUnitOfWork, key: int, now: NowDep, failed: FormError | None
) -> Response:
    detail = service.show_issue(uow, key, now=now)
    status = failed.status if failed else 200
    context = {"detail": detail, "failed": failed}
    return render(request, "recurring/detail.html", context, status_code=status, now=now)


@router.get("/recurring/{key}")
def issue_page(
    request: Request, key: IssueKey, principal: Reader, uow: UowDep, now: NowDep
) -> Response:
    return _issue_page(request, uow, key, now, None)


def _retry(request: Request, uow: SqlUnitOfWork, key: int, now: NowDep, form: str) -> None:
    on_error_show(request, form, lambda req, failed: _issue_page(req, uow, key, now, failed))


@router.post("/recurring/{key}/confirm")
def confirm(
    request: Request,
    key: IssueKey,
    principal: Keeper,
    form: FormDep,
    uow: UowDep,
    now: NowDep,
    run: RunnerDep,
) -> Response:
    _retry(request, uow, key, now, "confirm")
    run.run(change.confirm_issue, change.ConfirmIssue(key, form.version()), principal.actor)
    return redirect(f"/recurring/{key}", flash="The issue is confirmed: one cause.")


@router.post("/recurring/{key}/rename")
def rename(
    request: Request,
    key: IssueKey,
    principal: Keeper,
    form: FormDep,
    uow: UowDep,
    now: NowDep,
    run: RunnerDep,
) -> Response:
    _retry(request, uow, key, now, "rename")
    cmd = change.RenameIssue(key, form.text("label"), form.version())
    issue = run.run(change.rename_issue, cmd, principal.actor)
    return redirect(f"/recurring/{key}", flash=f"Renamed to “{issue.label}”.")


@router.post("/recurring/{key}/link")
def link(
    request: Request,
    key: IssueKey,
    principal: Keeper,
    form: FormDep,
    uow: UowDep,
    now: NowDep,
    run: RunnerDep,
) -> Response:
    _retry(request, uow, key, now, "link")
    number = parse_id(form.text("escalation"), "escalation", prefix="ESC", example="ESC-12")
    issue = run.run(change.link_escalation, change.LinkEscalation(key, number), principal.actor)
    back = safe_next(form.optional("back"), f"/recurring/{key}")
    return redirect(back, flash=f"“{issue.label}” is linked to ESC-{number}.")


@router.post("/recurring/{key}/fix")
def fix(
    request: Request,
    key: IssueKey,
    principal: Keeper,
    form: FormDep,
    uow: UowDep,
    now: NowDep,
    run: RunnerDep,
) -> Response:
    _retry(request, uow, key, now, "fix")
    cmd = change.RecordFix(
        key,
        form.text("reference"),
        form.optional("release"),
        form.moment("fixed_at", principal.timezone),
    )
    run.run(change.record_fix, cmd, principal.actor)
    return redirect(f"/recurring/{key}", flash="The fix is recorded; prevention is tracked now.")


@router.post("/recurring/{key}/merge")
def merge(
    request: Request,
    key: IssueKey,
    principal: Keeper,
    form: FormDep,
    uow: UowDep,
    now: NowDep,
    run: RunnerDep,
) -> Response:
    _retry(request, uow, key, now, "merge")
    into = form.integer("into")
    if into is None or not 1 <= into <= MAX_ID:
        raise InvalidInput("into", "is not an issue id", "Give the id of the issue to keep")
    target = run.run(change.merge_issues, change.MergeIssues(key, into), principal.actor)
    return redirect(f"/recurring/{target.id}", flash=f"Issue {key} is merged into this one.")


@router.get("/tickets/similar")
def similar(
    request: Request,
    principal: Reader,
    uow: UowDep,
    now: NowDep,
    index: IndexDep,
    q: str = "",
    ticket: str = "",
) -> Response:
    """The search box: a description of the problem, or a ticket's id."""
    result: SimilarResult | None = None
    query_issue = None  # the ticket's own recurring issue, so "same issue" is offered for others
    if ticket.strip():
        result = tickets.similar_tickets(uow, index, [ticket], k=20, earlier_only=True)[0]
        query_issue = tickets.show_ticket(uow, ticket).issue
    elif q.strip():
        result = tickets.similar_to_text(uow, index, q[:10_000], now=now, k=20)
    back = f"/tickets/similar?ticket={quote(ticket.strip())}"
    context = {"q": q, "ticket": ticket, "result": result, "query_issue": query_issue, "back": back}
    return render(request, "recurring/similar.html", context, now=now)


@router.get("/review")
def review(request: Request, principal: Reader, uow: UowDep, now: NowDep) -> Response:
    agenda = weekly_issues_review(uow, now=now).agenda
    return render(request, "recurring/review.html", {"agenda": agenda}, now=now)
