"""What is late about an escalation at `now`: computed here once, rendered by every face.

The board, the dashboard, the weekly review, the escalation page, the API and the CLI's
`--json` all ask the same question — which audiences are owed an overdue update, is the ETA
missed, how often did it slip, how many days has it been open, how much working time is left
before the next update — and they all get the answer from `Lateness`, built from one clock
reading. The arithmetic behind it is the domain's (`escdesk.domain.clock`, and the account's
working calendar for the time left), so a business-hours calendar changes the answers of every
face at once and none of them has to know.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from escdesk.domain import clock
from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar
from escdesk.domain.clock import Audience
from escdesk.domain.escalation import Escalation
from escdesk.domain.records import Status
from escdesk.services.views import EscalationSummary


@dataclass(frozen=True)
class Lateness:
    """The late things about one escalation at `now` (R-ESC-6, R-ESC-8)."""

    now: datetime
    is_open: bool
    internal_due: datetime | None
    customer_due: datetime | None
    eta: datetime | None
    eta_slips: int
    opened_at: datetime
    closed_at: datetime | None
    calendar: WorkingCalendar = TWENTY_FOUR_SEVEN

    @property
    def paused(self) -> list[Audience]:
        """Clocks standing still while the escalation waits on the customer (R-SLA-2): a
        paused clock keeps no due moment, so an open escalation without one is paused."""
        return [Audience.CUSTOMER] if self.is_open and self.customer_due is None else []

    @property
    def dues(self) -> dict[Audience, datetime | None]:
        if not self.is_open:
            return {Audience.INTERNAL: None, Audience.CUSTOMER: None}
        return {Audience.INTERNAL: self.internal_due, Audience.CUSTOMER: self.customer_due}

    @property
    def overdue(self) -> list[Audience]:
        """The audiences owed an update whose due moment has passed, internal first."""
        return [a for a, due in self.dues.items() if clock.is_overdue(due, self.now)]

    @property
    def eta_missed(self) -> bool:
        return self.is_open and clock.eta_missed(self.eta, self.now)

    @property
    def days_open(self) -> int:
        return clock.days_open(self.opened_at, self.closed_at or self.now)

    @property
    def next_due(self) -> datetime | None:
        dues = [d for d in self.dues.values() if d is not None]
        return min(dues) if dues else None

    @property
    def next_audience(self) -> Audience | None:
        """Whose update comes due first (internal when both are due at once)."""
        nxt = self.next_due
        return next((a for a, d in self.dues.items() if d is not None and d == nxt), None)

    @property
    def overdue_since(self) -> datetime | None:
        """The oldest missed due moment, or None when nothing is overdue."""
        missed = [self.dues[a] for a in self.overdue]
        return min(d for d in missed if d is not None) if missed else None

    @property
    def needs_attention(self) -> bool:
        return bool(self.overdue) or self.eta_missed or self.eta_slips > 0

    def working_seconds_left(self) -> dict[str, int | None]:
        """Per audience, the working time left before its due moment (negative once late)."""
        out: dict[str, int | None] = {}
        for audience, due in self.dues.items():
            left = self.remaining(due)
            out[audience.value] = None if left is None else int(left.total_seconds())
        return out

    def remaining(self, due: datetime | None) -> timedelta | None:
        """Working time left until `due` in the account's calendar (negative once late)."""
        if due is None:
            return None
        return self.calendar.between(self.now, due)


def of_summary(
    item: EscalationSummary, now: datetime, calendar: WorkingCalendar = TWENTY_FOUR_SEVEN
) -> Lateness:
    return Lateness(
        now=now,
        is_open=item.status != Status.CLOSED,
        internal_due=item.next_internal_update_due,
        customer_due=item.next_customer_update_due,
        eta=item.eta,
        eta_slips=item.eta_slips,
        opened_at=item.opened_at,
        closed_at=item.closed_at,
        calendar=calendar,
    )


def of_escalation(
    esc: Escalation, now: datetime, calendar: WorkingCalendar | None = None
) -> Lateness:
    """An escalation loaded whole carries its account's calendar: the time left is working
    time in it."""
    return Lateness(
        now=now,
        is_open=esc.status is not Status.CLOSED,
        internal_due=esc.next_internal_update_due,
        customer_due=esc.next_customer_update_due,
        eta=esc.eta,
        eta_slips=esc.eta_slips,
        opened_at=esc.opened_at,
        closed_at=esc.closed_at,
        calendar=calendar or esc.calendar,
    )
