"""Which reminders are due (R-ESC-6, R-SLA-3): leads in working time, held outside it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from escdesk.domain.calendars import WorkingCalendar, parse_hours
from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput
from escdesk.domain.reminders import Lead, OpenClocks, ReminderKind, ReminderPolicy, reminders_due

BERLIN = ZoneInfo("Europe/Berlin")
MUNICH = WorkingCalendar(
    "munich",
    "Europe/Berlin",
    parse_hours(["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"]),
)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def clocks(internal_due: datetime) -> OpenClocks:
    return OpenClocks(
        escalation_id=1,
        severity="high",
        customer="Isar Logistics",
        channel="#esc_isar",
        dri_id=1,
        internal_due=internal_due,
        customer_due=None,  # paused
        internal_every=timedelta(days=1),
        customer_every=timedelta(hours=56),
        calendar=MUNICH,
    )


def kinds(found: list[object]) -> list[tuple[str, str | None]]:
    return [(r.kind.value, r.audience.value if r.audience else None) for r in found]  # type: ignore[attr-defined]


def test_the_lead_is_working_time_so_the_warning_comes_the_evening_before() -> None:
    due = berlin(2026, 11, 10, 9, 0)  # Tuesday 09:00: the README's Munich example
    policy = ReminderPolicy(Lead(timedelta(hours=1)))
    assert reminders_due(clocks(due), berlin(2026, 11, 9, 15, 59), policy) == []
    found = reminders_due(clocks(due), berlin(2026, 11, 9, 16, 0), policy)
    assert kinds(found) == [("warning", "internal")] and found[0].due == due
    # At night the hour left is still an hour, but nobody is at work: held, not sent.
    assert reminders_due(clocks(due), berlin(2026, 11, 10, 7, 0), policy) == []
    overdue = reminders_due(clocks(due), berlin(2026, 11, 10, 9, 0), policy)
    assert kinds(overdue) == [("overdue", "internal")]


def test_a_paused_clock_sends_nothing_and_a_share_of_the_commitment_is_a_lead() -> None:
    assert Lead.parse("25%").before(timedelta(days=1)) == timedelta(hours=6)
    assert Lead.parse("45m").before(timedelta(days=1)) == timedelta(minutes=45)
    for bad in ("0%", "150%", "soon", "5d"):
        with pytest.raises(InvalidInput):
            Lead.parse(bad)
    found = reminders_due(clocks(berlin(2026, 11, 10, 9, 0)), berlin(2026, 11, 5, 9, 0),
                          ReminderPolicy())  # fmt: skip
    assert Audience.CUSTOMER not in [r.audience for r in found]


def test_a_standup_reminder_comes_within_its_lead_only() -> None:
    standup = berlin(2026, 11, 9, 10, 0)
    c = OpenClocks(1, "high", "Isar", "#esc_isar", 1, None, None, timedelta(days=1),
                   timedelta(days=1), next_standup=standup)  # fmt: skip
    policy = ReminderPolicy(standup_lead=timedelta(minutes=10), nudge_at=None)
    assert reminders_due(c, standup - timedelta(minutes=11), policy) == []
    found = reminders_due(c, standup - timedelta(minutes=10), policy)
    assert [r.kind for r in found] == [ReminderKind.STANDUP]
    assert reminders_due(c, standup, policy) == []


def test_the_daily_nudge_comes_at_nine_in_the_dris_timezone_for_high_and_critical() -> None:
    from dataclasses import replace

    tokyo_dri = replace(clocks(berlin(2026, 11, 20, 9, 0)), dri_timezone="Asia/Tokyo")
    nine_in_tokyo = datetime(2026, 11, 10, 0, 0, tzinfo=ZoneInfo("UTC"))  # 09:00 JST
    found = reminders_due(tokyo_dri, nine_in_tokyo + timedelta(minutes=3), ReminderPolicy())
    assert [(r.kind, r.due) for r in found] == [(ReminderKind.NUDGE, nine_in_tokyo)]
    assert reminders_due(tokyo_dri, nine_in_tokyo - timedelta(minutes=1), ReminderPolicy()) == []
    medium = replace(tokyo_dri, severity="medium")
    assert reminders_due(medium, nine_in_tokyo + timedelta(minutes=3), ReminderPolicy()) == []
    off = ReminderPolicy(nudge_at=None)
    assert reminders_due(tokyo_dri, nine_in_tokyo + timedelta(minutes=3), off) == []
