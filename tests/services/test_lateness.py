"""The lateness read model: one answer to "what is late" for every face."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from escdesk.domain.calendars import WorkingCalendar, parse_hours
from escdesk.domain.clock import Audience
from escdesk.services import lateness
from escdesk.services.views import EscalationSummary

NOW = datetime(2026, 11, 6, 12, 0, tzinfo=UTC)  # a Friday


def summary(**changes: object) -> EscalationSummary:
    values: dict[str, object] = {
        "id": 1,
        "customer": "Acme",
        "account_id": 1,
        "kind": "account_escalation",
        "severity": "high",
        "status": "active",
        "summary": "Exports fail",
        "dri_id": 1,
        "dri_name": "Dana",
        "opened_at": NOW - timedelta(days=3, hours=2),
        "eta": None,
        "eta_slips": 0,
        "next_internal_update_due": NOW + timedelta(hours=2),
        "next_customer_update_due": NOW - timedelta(hours=1),
        "version": 1,
    }
    values.update(changes)
    return EscalationSummary(**values)  # type: ignore[arg-type]


def test_overdue_audiences_next_due_and_days_open() -> None:
    late = lateness.of_summary(summary(), NOW)
    assert late.overdue == [Audience.CUSTOMER]
    assert late.overdue_since == NOW - timedelta(hours=1)
    assert late.next_due == NOW - timedelta(hours=1)
    assert late.next_audience is Audience.CUSTOMER
    assert late.days_open == 3
    assert late.needs_attention
    assert not late.eta_missed


def test_a_missed_eta_and_slips_need_attention_while_open_only() -> None:
    item = summary(
        eta=NOW - timedelta(minutes=1),
        eta_slips=2,
        next_customer_update_due=NOW + timedelta(hours=1),
    )
    late = lateness.of_summary(item, NOW)
    assert late.eta_missed and late.overdue == [] and late.needs_attention
    closed = lateness.of_summary(
        summary(status="closed", eta=NOW - timedelta(days=1), closed_at=NOW - timedelta(days=1)),
        NOW,
    )
    assert not closed.eta_missed and closed.overdue == [] and closed.next_due is None
    assert closed.days_open == 2  # counted until it closed


def test_when_both_are_due_at_once_the_internal_update_comes_first() -> None:
    due = NOW + timedelta(hours=1)
    late = lateness.of_summary(
        summary(next_internal_update_due=due, next_customer_update_due=due), NOW
    )
    assert late.next_audience is Audience.INTERNAL


def test_remaining_time_is_working_time_in_the_accounts_calendar() -> None:
    office = WorkingCalendar("office", "Europe/Berlin", parse_hours(["mon-fri 09:00-17:00"]))
    # Friday 12:00 UTC is 13:00 in Berlin; due Monday 10:00 Berlin (09:00 UTC): 4 h + 1 h.
    due = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    late = lateness.of_summary(summary(next_internal_update_due=due), NOW, office)
    assert late.remaining(due) == timedelta(hours=5)
    assert lateness.of_summary(summary(), NOW).remaining(due) == due - NOW  # 24x7: wall time
