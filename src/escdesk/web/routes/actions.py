"""The forms of an escalation's page: each posts here and calls one service function.

Every form carries the CSRF token and the version the page showed, so a change made meanwhile
by someone else is refused as a conflict instead of being overwritten. A refusal is shown on
the escalation's page, beside the form that caused it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.accounts import parse_choice, parse_sentiment
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole
from escdesk.domain.errors import InvalidInput
from escdesk.domain.severity import SeverityPolicy, parse_severity
from escdesk.http.deps import NowDep, RunnerDep, SettingsDep, UowDep
from escdesk.http.ids import IdPath
from escdesk.services import escalations as service
from escdesk.services import status_page
from escdesk.services.escalation_commands import (
    AssignOwner,
    ChangeExitCriteria,
    ChangeSeverity,
    CloseEscalation,
    MoveToMonitoring,
    PostUpdate,
    ReopenEscalation,
    SetCustomerSummary,
    SetEta,
    Waiver,
    agreement_from,
)
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep, FormFields
from escdesk.web.pages import redirect
from escdesk.web.routes import customer_facing
from escdesk.web.routes.escalations import escalation_page
from escdesk.web.viewer import allowed_to

router = APIRouter(route_class=PageRoute)
P = Permission


Poster = Annotated[Principal, Depends(allowed_to(P.POST_UPDATE))]
SeverityChanger = Annotated[Principal, Depends(allowed_to(P.CHANGE_SEVERITY))]
OwnerManager = Annotated[Principal, Depends(allowed_to(P.MANAGE_OWNERS))]
EtaSetter = Annotated[Principal, Depends(allowed_to(P.SET_ETA))]
CriteriaEditor = Annotated[Principal, Depends(allowed_to(P.EDIT_EXIT_CRITERIA))]
Monitor = Annotated[Principal, Depends(allowed_to(P.MONITOR))]
Closer = Annotated[Principal, Depends(allowed_to(P.CLOSE))]
Reopener = Annotated[Principal, Depends(allowed_to(P.REOPEN))]
Publisher = Annotated[Principal, Depends(allowed_to(P.PUBLISH_STATUS_PAGE))]


def show_form_again_on_error(
    request: Request,
    form: str,
    uow: SqlUnitOfWork,
    escalation_id: IdPath,
    principal: Principal,
    now: datetime,
    policy: SeverityPolicy,
) -> None:
    """If the service refuses, show the escalation page again with the refusal at `form`."""

    def show_again(request: Request, failed: FormError) -> Response:
        return escalation_page(
            request, uow, escalation_id, principal=principal, now=now, policy=policy, failed=failed
        )

    on_error_show(request, form, show_again)


def back_to_escalation(escalation_id: int, message: str) -> Response:
    return redirect(f"/escalations/{escalation_id}", flash=message)


@router.post("/escalations/{escalation_id}/update")
def post_update(
    request: Request,
    escalation_id: IdPath,
    principal: Poster,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-6: an internal or a customer-facing update; it restarts that audience's cadence.
    A customer-facing one is previewed first and posted only with `step=confirm` (R-OPS-2)."""
    policy = settings.severity_policy()
    show_form_again_on_error(request, "update", uow, escalation_id, principal, now, policy)
    audience = form.text("audience")
    if not audience:  # nothing is preselected: the writer says who will read it
        raise InvalidInput(
            "audience", "is not chosen", "Choose internal or customer-facing for this update"
        )
    chosen = parse_choice(Audience, audience, "audience")
    if chosen is Audience.CUSTOMER:  # shown as the customer will read it, posted once confirmed
        step = form.text("step")
        if step == customer_facing.EDIT:
            body = form.text("body")
            return customer_facing.edit_again(
                request, uow, principal, escalation_id, body, settings, now
            )
        if step != customer_facing.CONFIRM:
            return customer_facing.preview_update(
                request,
                run,
                principal,
                escalation_id,
                form.text("body"),
                form.version(),
                settings,
                now,
            )
    cmd = PostUpdate(escalation_id, chosen, form.text("body"), form.version())
    run.run(service.post_update, cmd, principal.actor)
    if audience == "customer":
        told = "Your customer-facing update is recorded; its e-mail to the customer is queued."
    else:
        told = "Your internal update is recorded; its post in the channel is queued."
    return back_to_escalation(escalation_id, told)


@router.post("/escalations/{escalation_id}/severity")
def change_severity(
    request: Request,
    escalation_id: IdPath,
    principal: SeverityChanger,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-1/7: a key moment, told in the shared channel; owners must fit the new level."""
    policy = settings.severity_policy()
    show_form_again_on_error(request, "severity", uow, escalation_id, principal, now, policy)
    cmd = ChangeSeverity(
        escalation_id,
        parse_severity(form.text("severity")),
        form.text("reason"),
        product_dri=form.optional("product_dri"),
        product_leader=form.optional("product_leader"),
        version=form.version(),
    )
    esc = run.run(service.change_severity, cmd, principal.actor)
    return back_to_escalation(
        escalation_id,
        f"Severity is now {esc.severity}; its announcement in #escalated_customers is queued.",
    )


@router.post("/escalations/{escalation_id}/owners")
def assign_owner(
    request: Request,
    escalation_id: IdPath,
    principal: OwnerManager,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-2/3: hand the DRI, product DRI or product leader role over, with a reason."""
    show_form_again_on_error(
        request, "owners", uow, escalation_id, principal, now, settings.severity_policy()
    )
    cmd = AssignOwner(
        escalation_id,
        parse_choice(OwnerRole, form.text("role"), "role"),
        form.text("person"),
        form.text("reason"),
        form.version(),
    )
    run.run(service.assign_owner, cmd, principal.actor)
    return back_to_escalation(escalation_id, "The owner change is recorded.")


@router.post("/escalations/{escalation_id}/eta")
def set_eta(
    request: Request,
    escalation_id: IdPath,
    principal: EtaSetter,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-8: every ETA change is kept with its reason, so slips stay visible."""
    show_form_again_on_error(
        request, "eta", uow, escalation_id, principal, now, settings.severity_policy()
    )
    eta = form.moment("eta", principal.timezone)
    if eta is None:
        raise InvalidInput(
            "eta", "is missing", f"Pick the date and time ({principal.timezone}) of the new ETA"
        )
    cmd = SetEta(escalation_id, eta, form.text("reason"), form.version())
    change = run.run(service.set_eta, cmd, principal.actor)
    slipped = change.eta_changes[-1].slipped if change.eta_changes else False
    return back_to_escalation(
        escalation_id, "The ETA slipped; the slip is on record." if slipped else "ETA set."
    )


@router.post("/escalations/{escalation_id}/exit-criteria")
def change_exit_criteria(
    request: Request,
    escalation_id: IdPath,
    principal: CriteriaEditor,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-8: tick, untick or add exit criteria; the page posts what it showed as done."""
    show_form_again_on_error(
        request, "exit_criteria", uow, escalation_id, principal, now, settings.severity_policy()
    )
    ticked, was_done = set(form.integers("done")), set(form.integers("was_done"))
    cmd = ChangeExitCriteria(
        escalation_id,
        add=tuple(form.texts("add")),
        done=tuple(sorted(ticked - was_done)),
        undone=tuple(sorted(was_done - ticked)),
        version=form.version(),
    )
    run.run(service.change_exit_criteria, cmd, principal.actor)
    return back_to_escalation(escalation_id, "Exit criteria updated.")


@router.post("/escalations/{escalation_id}/monitor")
def move_to_monitoring(
    request: Request,
    escalation_id: IdPath,
    principal: Monitor,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-7/9: risk reduced to the standard process; the shared channel is told."""
    show_form_again_on_error(
        request, "monitor", uow, escalation_id, principal, now, settings.severity_policy()
    )
    cmd = MoveToMonitoring(escalation_id, form.text("note"), form.version())
    run.run(service.move_to_monitoring, cmd, principal.actor)
    return back_to_escalation(escalation_id, "The escalation is in monitoring.")


@router.post("/escalations/{escalation_id}/close")
def close(
    request: Request,
    escalation_id: IdPath,
    principal: Closer,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-9: refused, naming what is missing, until the customer agreed, each exit criterion
    is done or waived with a reason (and RCA if needed)."""
    show_form_again_on_error(
        request, "close", uow, escalation_id, principal, now, settings.severity_policy()
    )
    agreement = agreement_from(
        form.optional("agreed_by"),
        form.moment("agreed_at", principal.timezone),
        form.optional("agreed_via"),
    )
    sentiment = form.optional("sentiment")
    cmd = CloseEscalation(
        escalation_id,
        agreement,
        form.optional("rca_reference"),
        form.version(),
        sentiment=parse_sentiment(sentiment) if sentiment else None,
        waivers=waivers_in(form),
    )
    run.run(service.close_escalation, cmd, principal.actor)
    return back_to_escalation(
        escalation_id, "Closed with the customer's agreement; the channel is archived."
    )


def waivers_in(form: FormFields) -> tuple[Waiver, ...]:
    """The close form's reason boxes, `waive_N` for open criterion N; an empty box waives
    nothing, so the refusal names that criterion."""
    waivers = []
    for name in form.values:
        number = name.removeprefix("waive_")
        if number != name and number.isascii() and number.isdigit() and len(number) <= 6:
            reason = form.text(name)
            if reason:
                waivers.append(Waiver(int(number), reason))
    return tuple(sorted(waivers, key=lambda w: w.number))


@router.post("/escalations/{escalation_id}/reopen")
def reopen(
    request: Request,
    escalation_id: IdPath,
    principal: Reopener,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-9: reopening is allowed and recorded; the update cadence starts again."""
    policy = settings.severity_policy()
    show_form_again_on_error(request, "reopen", uow, escalation_id, principal, now, policy)
    cmd = ReopenEscalation(escalation_id, form.text("reason"), form.version())
    run.run(service.reopen_escalation, cmd, principal.actor)
    return back_to_escalation(escalation_id, "Reopened; the update cadence starts again from now.")


@router.post("/escalations/{escalation_id}/customer-summary")
def set_customer_summary(
    request: Request,
    escalation_id: IdPath,
    principal: Publisher,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """What the status page and the customer's e-mails say the escalation is about."""
    policy = settings.severity_policy()
    show_form_again_on_error(
        request, "customer_summary", uow, escalation_id, principal, now, policy
    )
    cmd = SetCustomerSummary(escalation_id, form.text("customer_summary"), form.version())
    run.run(service.set_customer_summary, cmd, principal.actor)
    return back_to_escalation(
        escalation_id, "The customer summary is saved; the status page and e-mails now use it."
    )


@router.post("/escalations/{escalation_id}/publish")
def publish(
    request: Request,
    escalation_id: IdPath,
    principal: Publisher,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """A status page for the customer: only customer-facing updates, exit criteria and ETA."""
    show_form_again_on_error(
        request, "publish", uow, escalation_id, principal, now, settings.severity_policy()
    )
    token = status_page.publish(uow, escalation_id, now, by_id=principal.person_id)
    link = f"{settings.base_url.rstrip('/')}/status/{token}"
    return back_to_escalation(escalation_id, f"The customer status page is published at {link}")
