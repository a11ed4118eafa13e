"""`escdesk escalations wait-on-customer` and `customer-answered` (R-SLA-2)."""

from __future__ import annotations

from typing import Annotated

import typer

from escdesk.cli import parsing
from escdesk.cli.escalation_changes import changed
from escdesk.cli.options import By, EscalationArg, Version
from escdesk.cli.runtime import runtime
from escdesk.services import pauses as service


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
