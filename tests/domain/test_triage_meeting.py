"""R-TRI-1: when the meeting is, whether it is held, and the agenda's order."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.domain.request import Difficulty
from escdesk.domain.severity import Severity
from escdesk.domain.triage_meeting import (
    EscalationProgress,
    MeetingSchedule,
    TriageConfig,
    build_agenda,
)
from escdesk.domain.triage_score import score
from tests.domain.test_triage_score import NOW, request

MONDAY_9 = NOW  # 2026-11-02 is a Monday


def test_the_default_meets_monday_wednesday_and_friday_at_ten() -> None:
    schedule = MeetingSchedule()
    first = schedule.next_meeting(MONDAY_9)
    assert first == datetime(2026, 11, 2, 10, 0, tzinfo=UTC)
    second = schedule.next_meeting(first + timedelta(minutes=1))
    assert second == datetime(2026, 11, 4, 10, 0, tzinfo=UTC)
    assert schedule.next_meeting(datetime(2026, 11, 6, 11, tzinfo=UTC)) == datetime(
        2026, 11, 9, 10, tzinfo=UTC
    )


def test_the_time_is_kept_in_the_configured_timezone_across_daylight_saving() -> None:
    schedule = MeetingSchedule.of(
        {"days": ["tuesday"], "time": "09:30", "timezone": "Europe/Berlin"}
    )
    summer = schedule.next_meeting(datetime(2026, 10, 20, 0, tzinfo=UTC))
    winter = schedule.next_meeting(datetime(2026, 10, 27, 0, tzinfo=UTC))
    assert (summer.hour, summer.minute) == (7, 30)
    assert (winter.hour, winter.minute) == (8, 30)
    assert schedule.at == time(9, 30)


def test_a_bad_schedule_names_the_setting() -> None:
    with pytest.raises(InvalidInput) as refused:
        MeetingSchedule.of({"days": ["someday"]})
    assert refused.value.field == "triage.days"
    with pytest.raises(InvalidInput) as refused:
        TriageConfig.of({"weight": {}})
    assert refused.value.field == "triage.weight"


def test_with_nothing_pending_the_meeting_is_skipped_and_says_why() -> None:
    agenda = build_agenda(MONDAY_9, MeetingSchedule(), [], [])
    assert not agenda.held
    assert agenda.skipped_reason and "no escalation request is pending" in agenda.skipped_reason


def progress(id: int, *, missed: bool = False, slips: int = 0, days: int = 3) -> EscalationProgress:
    return EscalationProgress(
        id, "Acme", "Slow", "high", "active", "Ana", None, slips, 1, 3, (), days, missed
    )


def test_requests_come_first_by_score_then_escalations_missed_eta_first() -> None:
    low = request(id=1, proposed_severity=Severity.LOW, difficulty=Difficulty.LARGE)
    high = request(id=2, proposed_severity=Severity.CRITICAL)
    older = request(
        id=3,
        proposed_severity=Severity.LOW,
        difficulty=Difficulty.LARGE,
        filed_at=NOW - timedelta(days=3),
    )
    agenda = build_agenda(
        MONDAY_9,
        MeetingSchedule(),
        [(r, "Acme", "Sam", score(r)) for r in (low, high, older)],
        [progress(10, slips=2), progress(11, missed=True), progress(12, days=30)],
    )
    assert agenda.held
    assert [i.request.id for i in agenda.requests] == [2, 3, 1]
    assert [i.progress.id for i in agenda.escalations] == [11, 10, 12]
    assert agenda.minutes == 3 * 10 + 3 * 5
    flagged = {i.request.id: i.flagged for i in agenda.requests}
    assert flagged == {1: False, 2: False, 3: True}  # REQ-3 waited past Friday's meeting
