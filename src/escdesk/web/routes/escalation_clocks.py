"""The clock forms of an escalation's page: wait on the customer and hear back (R-SLA-2), set up
the standup cadence (R-ESC-10), and snooze a reminder once with a reason (R-ESC-6).

Like the page's other forms, each carries the CSRF token and the version the page showed, calls
one typed command through the runner, and shows a refusal beside the form that caused it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import Response

from escdesk.domain.access import Permission
from escdesk.domain.accounts import parse_choice
from escdesk.domain.calendars import WEEKDAYS, parse_duration
from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput
from escdesk.domain.standups import StandupPlan
from escdesk.services import pauses, standups
from escdesk.web.errors import PageRoute
from escdesk.web.routes.escalation_form import EscalationForm, escalation_form

router = APIRouter(route_class=PageRoute)
WaitForm = Annotated[EscalationForm, Depends(escalation_form(Permission.POST_UPDATE, "wait"))]
StandupForm = Annotated[EscalationForm, Depends(escalation_form(Permission.POST_UPDATE, "standup"))]
SnoozeForm = Annotated[EscalationForm, Depends(escalation_form(Permission.POST_UPDATE, "snooze"))]


@router.post("/escalations/{escalation_id}/wait-on-customer")
def wait_on_customer(posted: WaitForm) -> Response:
    """R-SLA-2: the customer-update clock stands still until the customer answers."""
    cmd = pauses.WaitOnCustomer(posted.escalation_id, posted.form.text("reason"), posted.version())
    posted.run.run(pauses.wait_on_customer, cmd, posted.actor)
    return posted.back("Waiting on the customer: the customer-update clock is paused.")


@router.post("/escalations/{escalation_id}/customer-answered")
def customer_answered(posted: WaitForm) -> Response:
    """R-SLA-2: the clock runs again with the time it had left."""
    cmd = pauses.CustomerAnswered(posted.escalation_id, version=posted.version())
    posted.run.run(pauses.customer_answered, cmd, posted.actor)
    return posted.back("The customer answered: the customer-update clock runs again.")


@router.post("/escalations/{escalation_id}/standup")
def set_standup(posted: StandupForm) -> Response:
    """R-ESC-10: the cadence is recorded and its calendar invitation goes to the attendees."""
    days = [day for day in posted.form.texts("days") if day in WEEKDAYS]
    plan = StandupPlan.parse(
        days=",".join(days),
        at=posted.form.text("time"),
        timezone=posted.form.text("timezone"),
        attendees=[a for line in posted.form.texts("attendees") for a in line.split(",")],
    )
    tracker = f"{posted.settings.base_url.rstrip('/')}/escalations/{posted.escalation_id}/tracker"
    cmd = standups.SetStandup(posted.escalation_id, plan, tracker, posted.version())
    posted.run.run(standups.set_standup, cmd, posted.actor)
    return posted.back(f"Standup set: {plan.describe()}; the invitation is queued.")


@router.post("/escalations/{escalation_id}/snooze")
def snooze(posted: SnoozeForm) -> Response:
    """R-ESC-6: the reminders about the next update wait once, with a reason, a day at most."""
    length = posted.form.text("for")
    if not length:
        raise InvalidInput("for", "is missing", "Say how long the reminders wait, e.g. 2h")
    try:
        wait = parse_duration(length)
    except InvalidInput as bad:
        raise InvalidInput("for", bad.problem, bad.fix) from None
    cmd = pauses.SnoozeReminders(
        posted.escalation_id,
        parse_choice(Audience, posted.form.text("audience") or "internal", "audience"),
        posted.form.text("reason"),
        wait,
    )
    posted.run.run(pauses.snooze_reminders, cmd, posted.actor)
    return posted.back(f"The reminders about the next update wait {length}.")
