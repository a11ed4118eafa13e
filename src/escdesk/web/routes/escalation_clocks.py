"""The clock forms of an escalation's page: wait on the customer and hear back (R-SLA-2), set up
the standup cadence (R-ESC-10), and snooze a reminder once with a reason (R-ESC-6).

Like the page's other forms, each carries the CSRF token and the version the page showed, calls
one typed command through the runner, and shows a refusal beside the form that caused it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.accounts import parse_choice
from escdesk.domain.calendars import WEEKDAYS, parse_duration
from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput
from escdesk.domain.standups import StandupPlan
from escdesk.http.deps import NowDep, RunnerDep, SettingsDep, UowDep
from escdesk.http.ids import IdPath
from escdesk.services import pauses, standups
from escdesk.web.errors import PageRoute
from escdesk.web.forms import FormDep
from escdesk.web.routes.actions import back_to_escalation, show_form_again_on_error
from escdesk.web.viewer import allowed_to

router = APIRouter(route_class=PageRoute)
Poster = Annotated[Principal, Depends(allowed_to(Permission.POST_UPDATE))]


@router.post("/escalations/{escalation_id}/wait-on-customer")
def wait_on_customer(
    request: Request,
    escalation_id: IdPath,
    principal: Poster,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-SLA-2: the customer-update clock stands still until the customer answers."""
    show_form_again_on_error(
        request, "wait", uow, escalation_id, principal, now, settings.severity_policy()
    )
    cmd = pauses.WaitOnCustomer(escalation_id, form.text("reason"), form.version())
    run.run(pauses.wait_on_customer, cmd, principal.actor)
    return back_to_escalation(
        escalation_id, "Waiting on the customer: the customer-update clock is paused."
    )


@router.post("/escalations/{escalation_id}/customer-answered")
def customer_answered(
    request: Request,
    escalation_id: IdPath,
    principal: Poster,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-SLA-2: the clock runs again with the time it had left."""
    show_form_again_on_error(
        request, "wait", uow, escalation_id, principal, now, settings.severity_policy()
    )
    cmd = pauses.CustomerAnswered(escalation_id, version=form.version())
    run.run(pauses.customer_answered, cmd, principal.actor)
    return back_to_escalation(
        escalation_id, "The customer answered: the customer-update clock runs again."
    )


@router.post("/escalations/{escalation_id}/standup")
def set_standup(
    request: Request,
    escalation_id: IdPath,
    principal: Poster,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-10: the cadence is recorded and its calendar invitation goes to the attendees."""
    show_form_again_on_error(
        request, "standup", uow, escalation_id, principal, now, settings.severity_policy()
    )
    days = [day for day in form.texts("days") if day in WEEKDAYS]
    plan = StandupPlan.parse(
        days=",".join(days),
        at=form.text("time"),
        timezone=form.text("timezone"),
        attendees=[a for line in form.texts("attendees") for a in line.split(",")],
    )
    tracker = f"{settings.base_url.rstrip('/')}/escalations/{escalation_id}/tracker"
    cmd = standups.SetStandup(escalation_id, plan, tracker, form.version())
    run.run(standups.set_standup, cmd, principal.actor)
    return back_to_escalation(
        escalation_id, f"Standup set: {plan.describe()}; the invitation is queued."
    )


@router.post("/escalations/{escalation_id}/snooze")
def snooze(
    request: Request,
    escalation_id: IdPath,
    principal: Poster,
    form: FormDep,
    uow: UowDep,
    run: RunnerDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """R-ESC-6: the reminders about the next update wait once, with a reason, a day at most."""
    show_form_again_on_error(
        request, "snooze", uow, escalation_id, principal, now, settings.severity_policy()
    )
    length = form.text("for")
    if not length:
        raise InvalidInput("for", "is missing", "Say how long the reminders wait, e.g. 2h")
    try:
        wait = parse_duration(length)
    except InvalidInput as bad:
        raise InvalidInput("for", bad.problem, bad.fix) from None
    cmd = pauses.SnoozeReminders(
        escalation_id,
        parse_choice(Audience, form.text("audience") or "internal", "audience"),
        form.text("reason"),
        wait,
    )
    run.run(pauses.snooze_reminders, cmd, principal.actor)
    return back_to_escalation(escalation_id, f"The reminders about the next update wait {length}.")
