"""`escdesk escalations wait-on-customer` and `customer-answered` (R-SLA-2), and `standup`
(R-ESC-10): the commands that set an escalation's clocks."""

from __future__ import annotations

from typing import Annotated

import typer

from escdesk.cli import parsing
from escdesk.cli.escalation_changes import changed
from escdesk.cli.options import By, EscalationArg, Version
from escdesk.cli.runtime import runtime
from escdesk.domain.clock import Audience
from escdesk.domain.standups import StandupPlan
from escdesk.services import pauses as service
from escdesk.services import standups


def wait_on_customer(
    ctx: typer.Context,
    escalation: EscalationArg,
    reason: Annotated[
        str, typer.Option("--reason", help="What the customer was asked for, e.g. 'HAR file'.")
    ],
    version: Version = None,
    by: By = None,
) -> None:
    """Pause the customer-update clock until the customer answers."""
    cmd = service.WaitOnCustomer(parsing.escalation_id(escalation), reason, version)
    esc = runtime(ctx).run(service.wait_on_customer, cmd, by)
    changed(esc, "waits on the customer: customer-update clock paused")


def customer_answered(
    ctx: typer.Context, escalation: EscalationArg, version: Version = None, by: By = None
) -> None:
    """Record the customer's answer: the customer-update clock runs again."""
    cmd = service.CustomerAnswered(parsing.escalation_id(escalation), version=version)
    esc = runtime(ctx).run(service.customer_answered, cmd, by)
    changed(esc, "heard from the customer: customer-update clock resumed")


def standup(
    ctx: typer.Context,
    escalation: EscalationArg,
    days: Annotated[str, typer.Option("--days", help="Weekdays, e.g. mon,thu.")],
    at: Annotated[str, typer.Option("--time", help="Time of day, HH:MM.")],
    timezone: Annotated[str, typer.Option("--timezone", help="IANA name, e.g. Europe/Berlin.")],
    attendees: Annotated[
        list[str] | None, typer.Option("--attendee", help="An attendee's e-mail, repeatable.")
    ] = None,
    version: Version = None,
    by: By = None,
) -> None:
    """Set up the internal standup cadence; its calendar invitation goes to the attendees."""
    state = runtime(ctx)
    plan = StandupPlan.parse(days=days, at=at, timezone=timezone, attendees=attendees or [])
    escalation_id = parsing.escalation_id(escalation)
    tracker = f"{state.settings.base_url.rstrip('/')}/escalations/{escalation_id}/tracker"
    cmd = standups.SetStandup(escalation_id, plan, tracker, version)
    esc = state.run(standups.set_standup, cmd, by)
    changed(esc, f"standup set: {plan.describe()}")


def snooze(
    ctx: typer.Context,
    escalation: EscalationArg,
    reason: Annotated[str, typer.Option("--reason", help="Why the reminder can wait.")],
    length: Annotated[str, typer.Option("--for", help="How long: 30m, 2h (a day at most).")],
    internal: Annotated[
        bool, typer.Option("--internal/--customer", help="Which update's reminders.")
    ] = True,
    by: By = None,
) -> None:
    """Snooze the reminders about the next update once, with a reason (on the timeline)."""
    cmd = service.SnoozeReminders(
        parsing.escalation_id(escalation),
        Audience.INTERNAL if internal else Audience.CUSTOMER,
        reason,
        parsing.window(length, "--for"),
    )
    esc = runtime(ctx).run(service.snooze_reminders, cmd, by)
    changed(esc, f"reminders snoozed for {length}")
