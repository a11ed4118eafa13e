"""The escalation list, the form that opens one, its page and its tracker document."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import PlainTextResponse, Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.clock import Audience
from escdesk.domain.dri import Route
from escdesk.domain.records import EscalationKind, Status
from escdesk.domain.severity import Severity, SeverityPolicy
from escdesk.http.deps import NowDep, RunnerDep, SettingsDep, UowDep, get_ticket_index
from escdesk.http.ids import IdPath
from escdesk.services import escalations as service
from escdesk.services.desk import directory, escalation_workspace
from escdesk.services.escalation_commands import ListEscalations, OpenEscalation
from escdesk.services.escalation_tickets import seen_before
from escdesk.services.tracker import tracker_document
from escdesk.services.trail_text import describe
from escdesk.services.views import ESCALATION_ORDERS, EscalationPage
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep
from escdesk.web.listing import PAGE_SIZE, listing
from escdesk.web.pages import redirect, render, when
from escdesk.web.viewer import Reader, allowed_to

router = APIRouter(route_class=PageRoute)
Opener = Annotated[Principal, Depends(allowed_to(Permission.OPEN_ESCALATION))]

CHOICES = {
    "severities": sorted(Severity, key=lambda s: -s.rank),
    "statuses": list(Status),
    "kinds": list(EscalationKind),
    "routes": list(Route),
}


@router.get("/escalations")
def escalation_list(
    request: Request,
    principal: Reader,
    run: RunnerDep,
    now: NowDep,
    severity: str = "",
    status: str = "",
    account: str = "",
    dri: str = "",
    overdue: bool = False,
    closed: bool = False,
) -> Response:
    filters = {
        "severity": severity,
        "status": status,
        "account": account,
        "dri": dri,
        "overdue": overdue,
        "closed": closed,
    }

    def show_again(request: Request, failed: FormError) -> Response:
        empty = EscalationPage([], 0, PAGE_SIZE, 0)
        context = {"result": empty, "filters": filters, "failed": failed, **CHOICES}
        return render(request, "escalations/list.html", context, status_code=failed.status)

    on_error_show(request, "filters", show_again)
    asked = listing(request, ESCALATION_ORDERS)
    query = ListEscalations.parse(
        severity=severity or None,
        status=status or None,
        account=account or None,
        dri=dri or None,
        include_closed=closed,
        overdue_at=now if overdue else None,
        limit=asked.size,
        offset=asked.offset,
        order=asked.order,
    )
    result = run.read(service.list_escalations, query, principal.actor)
    context = {"result": result, "filters": filters, "listing": asked, **CHOICES}
    return render(request, "escalations/list.html", context, now=now)


def _new_form(request: Request, uow: SqlUnitOfWork, failed: FormError | None) -> Response:
    context = {"directory": directory(uow), "failed": failed, **CHOICES}
    status = failed.status if failed else 200
    return render(request, "escalations/new.html", context, status_code=status)


@router.get("/escalations/new")
def new_escalation_page(request: Request, principal: Opener, uow: UowDep) -> Response:
    return _new_form(request, uow, None)


@router.post("/escalations/new")
def open_escalation(
    request: Request,
    principal: Opener,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
) -> Response:
    on_error_show(request, "open", lambda request, failed: _new_form(request, uow, failed))
    cmd = OpenEscalation.parse(
        account=form.text("account"),
        kind=form.text("kind") or EscalationKind.ACCOUNT_ESCALATION,
        severity=form.text("severity"),
        route=form.text("route"),
        summary=form.text("summary"),
        initial_ask=form.text("initial_ask"),
        required_skills=form.texts("required_skills"),
        product_related=form.flag("product_related"),
        exit_criteria=form.texts("exit_criteria"),
        eta=form.moment("eta", principal.timezone),
        dri=form.optional("dri"),
        product_dri=form.optional("product_dri"),
        product_leader=form.optional("product_leader"),
        also=form.flag("also"),
    )
    esc = run.run(service.open_escalation, cmd, principal.actor)
    return redirect(
        f"/escalations/{esc.id}",
        flash=f"ESC-{esc.id} is open: its channel and the declaration are queued for Slack.",
    )


def escalation_page(
    request: Request,
    uow: SqlUnitOfWork,
    escalation_id: IdPath,
    *,
    principal: Principal,
    now: datetime,
    policy: SeverityPolicy,
    failed: FormError | None = None,
) -> Response:
    """The escalation's page; after a refused form, with the refusal shown beside that form."""
    workspace = escalation_workspace(uow, escalation_id, now=now, policy=policy)
    show_internal = principal.can(Permission.READ_INTERNAL)
    names = {p.id: p.name for p in workspace.people if p.id is not None}
    esc = workspace.tracker.escalation

    def in_zone(moment: datetime) -> str:
        return when(moment, principal.timezone)

    context = {
        "ws": workspace,
        "t": workspace.tracker,
        "esc": esc,
        "show_internal": show_internal,
        "customer_updates": [u for u in reversed(esc.updates) if u.audience is Audience.CUSTOMER],
        "internal_updates": [u for u in reversed(esc.updates) if u.audience is Audience.INTERNAL],
        "history": [
            describe(e, names, show_internal, in_zone) for e in reversed(workspace.history)
        ],
        "failed": failed,
        **CHOICES,
    }
    context["seen_before"] = seen_before(uow, get_ticket_index(request), escalation_id)
    status = failed.status if failed else 200
    return render(request, "escalations/page.html", context, status_code=status, now=now)


@router.get("/escalations/{escalation_id}")
def show(
    request: Request,
    escalation_id: IdPath,
    principal: Reader,
    uow: UowDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    return escalation_page(
        request,
        uow,
        escalation_id,
        principal=principal,
        now=now,
        policy=settings.severity_policy(),
    )


def _tracker(
    uow: SqlUnitOfWork,
    escalation_id: IdPath,
    principal: Principal,
    now: datetime,
    settings: SettingsDep,
) -> str:
    return tracker_document(
        uow,
        escalation_id,
        now=now,
        policy=settings.severity_policy(),
        base_url=settings.base_url,
        include_internal=principal.can(Permission.READ_INTERNAL),
    )


@router.get("/escalations/{escalation_id}/tracker")
def tracker(
    request: Request,
    escalation_id: IdPath,
    principal: Reader,
    uow: UowDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-11: the tracker document as a printable page, rendered from state on each read."""
    document = _tracker(uow, escalation_id, principal, now, settings)
    context = {"document": document, "escalation_id": escalation_id}
    return render(request, "escalations/tracker.html", context, now=now)


@router.get("/escalations/{escalation_id}/tracker.md")
def tracker_markdown(
    escalation_id: IdPath, principal: Reader, uow: UowDep, now: NowDep, settings: SettingsDep
) -> Response:
    document = _tracker(uow, escalation_id, principal, now, settings)
    return PlainTextResponse(
        document,
        media_type="text/markdown; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="ESC-{escalation_id}-tracker.md"'},
    )
