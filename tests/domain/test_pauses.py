"""Paused clocks (R-SLA-2): due moments recomputed from the trail's pauses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar, parse_hours
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.events import EVENT_TYPES, Event
from escdesk.domain.pauses import (
    PAUSED,
    RESUMED,
    Pause,
    customer_update_due,
    end_pause,
    pauses_from,
    start_pause,
)
from escdesk.domain.severity import Measure

BERLIN = ZoneInfo("Europe/Berlin")
OFFICE = WorkingCalendar(
    "office",
    "Europe/Berlin",
    parse_hours(["mon-fri 09:00-17:00"]),
    closed=frozenset({date(2026, 12, 24), date(2026, 12, 25)}),
)
H = timedelta(hours=1)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def test_a_wall_clock_pause_pushes_the_due_moment_by_its_length() -> None:
    last = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    pause = Pause(last + 2 * H, "HAR file", 1, end=last + 5 * H)
    due = customer_update_due(last, 24 * H, Measure.WALL, TWENTY_FOUR_SEVEN, [pause])
    assert due == last + 27 * H


def test_a_running_pause_has_no_due_moment() -> None:
    last = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    pause = Pause(last + H, "logs", 1)
    assert customer_update_due(last, 24 * H, Measure.WALL, TWENTY_FOUR_SEVEN, [pause]) is None


def test_a_pause_over_nights_and_holidays_keeps_the_working_time_that_was_left() -> None:
    last = berlin(2026, 12, 23, 9, 0)  # Wednesday; 24th and 25th closed, then the weekend
    # 8 working hours were due at 17:00; paused at 15:00 with 2 h left, resumed on Monday 28th
    # at 10:00 → due Monday 12:00.
    pause = Pause(berlin(2026, 12, 23, 15, 0), "waiting for a maintenance window", 1,
                  end=berlin(2026, 12, 28, 10, 0))  # fmt: skip
    due = customer_update_due(last, 8 * H, Measure.BUSINESS, OFFICE, [pause])
    assert due == berlin(2026, 12, 28, 12, 0)


def test_a_pause_entirely_outside_working_time_changes_nothing() -> None:
    last = berlin(2026, 11, 6, 9, 0)  # Friday
    pause = Pause(berlin(2026, 11, 6, 18, 0), "night", 1, end=berlin(2026, 11, 9, 8, 0))
    without = customer_update_due(last, 16 * H, Measure.BUSINESS, OFFICE, [])
    assert customer_update_due(last, 16 * H, Measure.BUSINESS, OFFICE, [pause]) == without


def test_pauses_before_the_last_update_or_after_the_due_moment_do_not_count() -> None:
    last = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    before = Pause(last - 5 * H, "old", 1, end=last - H)
    after_due = Pause(last + 30 * H, "late", 1, end=last + 40 * H)
    due = customer_update_due(last, 24 * H, Measure.WALL, TWENTY_FOUR_SEVEN, [before, after_due])
    assert due == last + 24 * H


def test_the_trail_is_the_only_memory_of_a_pause() -> None:
    pauses: list[Pause] = []
    at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    events = [start_pause(pauses, "HAR file", 7, at)]
    with pytest.raises(StateRefused):
        start_pause(pauses, "again", 7, at + H)
    events.append(end_pause(pauses, 8, at + 3 * H, "email"))
    with pytest.raises(StateRefused):
        end_pause(pauses, 8, at + 4 * H, "person")
    assert [e.type for e in events] == [PAUSED, RESUMED]
    assert events[1].data == {"via": "email", "paused_for_s": 3 * 3600}
    noise = Event("update_posted", at + H, 7, {})
    assert pauses_from([events[0], noise, events[1]]) == pauses
    assert pauses[0] == Pause(at, "HAR file", 7, at + 3 * H, 8, "email")
    assert PAUSED in EVENT_TYPES and RESUMED in EVENT_TYPES
    with pytest.raises(InvalidInput):
        start_pause([], "  ", 7, at)
