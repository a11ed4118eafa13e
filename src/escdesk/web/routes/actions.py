"""The forms of an escalation's page: each posts here and calls one service function.

Every form carries the CSRF token and the version the page showed, so a change made meanwhile
by someone else is refused as a conflict instead of being overwritten. A refusal is shown on
the escalation's page, beside the form that caused it (`escalation_form` arranges both).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from escdesk.domain.access import Permission
from escdesk.domain.accounts import parse_choice, parse_sentiment
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole
from escdesk.domain.errors import InvalidInput
from escdesk.domain.severity import parse_severity
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
from escdesk.web.errors import PageRoute
from escdesk.web.forms import FormFields
from escdesk.web.routes import customer_facing
from escdesk.web.routes.escalation_form import EscalationForm, escalation_form

router = APIRouter(route_class=PageRoute)
P = Permission


def _form(permission: Permission, name: str) -> object:
    return Depends(escalation_form(permission, name))


UpdateForm = Annotated[EscalationForm, _form(P.POST_UPDATE, "update")]
SeverityForm = Annotated[EscalationForm, _form(P.CHANGE_SEVERITY, "severity")]
OwnersForm = Annotated[EscalationForm, _form(P.MANAGE_OWNERS, "owners")]
EtaForm = Annotated[EscalationForm, _form(P.SET_ETA, "eta")]
CriteriaForm = Annotated[EscalationForm, _form(P.EDIT_EXIT_CRITERIA, "exit_criteria")]
MonitorForm = Annotated[EscalationForm, _form(P.MONITOR, "monitor")]
CloseForm = Annotated[EscalationForm, _form(P.CLOSE, "close")]
ReopenForm = Annotated[EscalationForm, _form(P.REOPEN, "reopen")]
SummaryForm = Annotated[EscalationForm, _form(P.PUBLISH_STATUS_PAGE, "customer_summary")]
PublishForm = Annotated[EscalationForm, _form(P.PUBLISH_STATUS_PAGE, "publish")]


@router.post("/escalations/{escalation_id}/update")
def post_update(posted: UpdateForm) -> Response:
    """R-ESC-6: an internal or a customer-facing update; it restarts that audience's cadence.
    A customer-facing one is previewed first and posted only with `step=confirm` (R-OPS-2)."""
    audience = posted.form.text("audience")
    if not audience:  # nothing is preselected: the writer says who will read it
        raise InvalidInput(
            "audience", "is not chosen", "Choose internal or customer-facing for this update"
        )
    chosen = parse_choice(Audience, audience, "audience")
    if chosen is Audience.CUSTOMER:  # shown as the customer will read it, posted once confirmed
        step = posted.form.text("step")
        if step == customer_facing.EDIT:
            body = posted.form.text("body")
            return customer_facing.edit_again(
                posted.request,
                posted.uow,
                posted.principal,
                posted.escalation_id,
                body,
                posted.settings,
                posted.now,
            )
        if step != customer_facing.CONFIRM:
            return customer_facing.preview_update(
                posted.request,
                posted.run,
                posted.principal,
                posted.escalation_id,
                posted.form.text("body"),
                posted.version(),
                posted.settings,
                posted.now,
            )
    cmd = PostUpdate(posted.escalation_id, chosen, posted.form.text("body"), posted.version())
    posted.run.run(service.post_update, cmd, posted.actor)
    if audience == "customer":
        told = "Your customer-facing update is recorded; its e-mail to the customer is queued."
    else:
        told = "Your internal update is recorded; its post in the channel is queued."
    return posted.back(told)


@router.post("/escalations/{escalation_id}/severity")
def change_severity(posted: SeverityForm) -> Response:
    """R-ESC-1/7: a key moment, told in the shared channel; owners must fit the new level."""
    cmd = ChangeSeverity(
        posted.escalation_id,
        parse_severity(posted.form.text("severity")),
        posted.form.text("reason"),
        product_dri=posted.form.optional("product_dri"),
        product_leader=posted.form.optional("product_leader"),
        version=posted.version(),
    )
    esc = posted.run.run(service.change_severity, cmd, posted.actor)
    return posted.back(
        f"Severity is now {esc.severity}; its announcement in #escalated_customers is queued."
    )


@router.post("/escalations/{escalation_id}/owners")
def assign_owner(posted: OwnersForm) -> Response:
    """R-ESC-2/3: hand the DRI, product DRI or product leader role over, with a reason."""
    cmd = AssignOwner(
        posted.escalation_id,
        parse_choice(OwnerRole, posted.form.text("role"), "role"),
        posted.form.text("person"),
        posted.form.text("reason"),
        posted.version(),
    )
    posted.run.run(service.assign_owner, cmd, posted.actor)
    return posted.back("The owner change is recorded.")


@router.post("/escalations/{escalation_id}/eta")
def set_eta(posted: EtaForm) -> Response:
    """R-ESC-8: every ETA change is kept with its reason, so slips stay visible."""
    eta = posted.form.moment("eta", posted.principal.timezone)
    if eta is None:
        raise InvalidInput(
            "eta",
            "is missing",
            f"Pick the date and time ({posted.principal.timezone}) of the new ETA",
        )
    cmd = SetEta(posted.escalation_id, eta, posted.form.text("reason"), posted.version())
    change = posted.run.run(service.set_eta, cmd, posted.actor)
    slipped = change.eta_changes[-1].slipped if change.eta_changes else False
    return posted.back("The ETA slipped; the slip is on record." if slipped else "ETA set.")


@router.post("/escalations/{escalation_id}/exit-criteria")
def change_exit_criteria(posted: CriteriaForm) -> Response:
    """R-ESC-8: tick, untick or add exit criteria; the page posts what it showed as done."""
    ticked, was_done = set(posted.form.integers("done")), set(posted.form.integers("was_done"))
    cmd = ChangeExitCriteria(
        posted.escalation_id,
        add=tuple(posted.form.texts("add")),
        done=tuple(sorted(ticked - was_done)),
        undone=tuple(sorted(was_done - ticked)),
        version=posted.version(),
    )
    posted.run.run(service.change_exit_criteria, cmd, posted.actor)
    return posted.back("Exit criteria updated.")


@router.post("/escalations/{escalation_id}/monitor")
def move_to_monitoring(posted: MonitorForm) -> Response:
    """R-ESC-7/9: risk reduced to the standard process; the shared channel is told."""
    cmd = MoveToMonitoring(posted.escalation_id, posted.form.text("note"), posted.version())
    posted.run.run(service.move_to_monitoring, cmd, posted.actor)
    return posted.back("The escalation is in monitoring.")


@router.post("/escalations/{escalation_id}/close")
def close(posted: CloseForm) -> Response:
    """R-ESC-9: refused, naming what is missing, until the customer agreed, each exit criterion
    is done or waived with a reason (and RCA if needed)."""
    agreement = agreement_from(
        posted.form.optional("agreed_by"),
        posted.form.moment("agreed_at", posted.principal.timezone),
        posted.form.optional("agreed_via"),
    )
    sentiment = posted.form.optional("sentiment")
    cmd = CloseEscalation(
        posted.escalation_id,
        agreement,
        posted.form.optional("rca_reference"),
        posted.version(),
        sentiment=parse_sentiment(sentiment) if sentiment else None,
        waivers=waivers_in(posted.form),
    )
    posted.run.run(service.close_escalation, cmd, posted.actor)
    return posted.back("Closed with the customer's agreement; the channel is archived.")


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
def reopen(posted: ReopenForm) -> Response:
    """R-ESC-9: reopening is allowed and recorded; the update cadence starts again."""
    cmd = ReopenEscalation(posted.escalation_id, posted.form.text("reason"), posted.version())
    posted.run.run(service.reopen_escalation, cmd, posted.actor)
    return posted.back("Reopened; the update cadence starts again from now.")


@router.post("/escalations/{escalation_id}/customer-summary")
def set_customer_summary(posted: SummaryForm) -> Response:
    """What the status page and the customer's e-mails say the escalation is about."""
    cmd = SetCustomerSummary(
        posted.escalation_id, posted.form.text("customer_summary"), posted.version()
    )
    posted.run.run(service.set_customer_summary, cmd, posted.actor)
    return posted.back("The customer summary is saved; the status page and e-mails now use it.")


@router.post("/escalations/{escalation_id}/publish")
def publish(posted: PublishForm) -> Response:
    """A status page for the customer: only customer-facing updates, exit criteria and ETA."""
    token = status_page.publish(
        posted.uow, posted.escalation_id, posted.now, by_id=posted.principal.person_id
    )
    link = f"{posted.settings.base_url.rstrip('/')}/status/{token}"
    return posted.back(f"The customer status page is published at {link}")
