"""Working calendars (R-SLA-1): weekends, holidays, several ranges a day, DST, far timezones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from escdesk.domain.calendars import (
    TWENTY_FOUR_SEVEN,
    WorkingCalendar,
    parse_duration,
    parse_hours,
)
from escdesk.domain.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MUNICH = WorkingCalendar(
    "munich",
    "Europe/Berlin",
    parse_hours(["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"]),
    closed=frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)}),
    holidays="DE-BY",
)
H = timedelta(hours=1)


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)  # type: ignore[misc]


def test_a_friday_afternoon_start_runs_into_monday_morning() -> None:
    start = berlin(2026, 11, 6, 14, 30)  # Friday, 30 min before closing
    assert MUNICH.add_time(start, 2 * H) == berlin(2026, 11, 9, 10, 30)
    assert MUNICH.between(start, berlin(2026, 11, 9, 10, 30)) == 2 * H


def test_a_start_outside_working_time_counts_from_the_next_opening() -> None:
    saturday = berlin(2026, 11, 7, 11, 0)
    assert MUNICH.add_time(saturday, 90 * timedelta(minutes=1)) == berlin(2026, 11, 9, 10, 30)
    assert MUNICH.next_opening(saturday) == berlin(2026, 11, 9, 9, 0)
    assert not MUNICH.is_open(saturday)
    assert MUNICH.is_open(berlin(2026, 11, 9, 9, 0))


def test_several_ranges_a_day_skip_the_lunch_break() -> None:
    start = berlin(2026, 11, 9, 11, 0)  # Monday
    assert MUNICH.add_time(start, 2 * H) == berlin(2026, 11, 9, 14, 0)
    assert MUNICH.between(berlin(2026, 11, 9, 11, 30), berlin(2026, 11, 9, 13, 30)) == H


def test_a_due_moment_on_a_closing_time_is_that_closing_time() -> None:
    assert MUNICH.add_time(berlin(2026, 11, 9, 9, 0), 3 * H) == berlin(2026, 11, 9, 12, 0)
    assert MUNICH.add_time(berlin(2026, 11, 13, 9, 0), 6 * H) == berlin(2026, 11, 13, 15, 0)


def test_closed_dates_are_skipped_like_weekends() -> None:
    start = berlin(2026, 12, 23, 16, 0)  # Wednesday before Christmas
    # 1 h on the 23rd; 24th–26th closed; 27th is Sunday; Monday the 28th 09:00 + 1 h.
    assert MUNICH.add_time(start, 2 * H) == berlin(2026, 12, 28, 10, 0)


def test_a_due_moment_across_the_european_change_to_summer_time() -> None:
    always = WorkingCalendar("berlin 24x7", "Europe/Berlin")
    start = berlin(2026, 3, 28, 12, 0)  # Saturday; clocks go forward on Sunday 29 March
    due = always.add_time(start, 24 * H)
    assert due == start.astimezone(UTC) + 24 * H  # working time is real time in 24x7
    assert due.astimezone(BERLIN).hour == 13  # … which the wall clock shows as 13:00
    office = WorkingCalendar("o", "Europe/Berlin", parse_hours(["mon-fri 09:00-17:00"]))
    # Friday 16:00 CET + 2 h: 1 h on Friday, 1 h on Monday 09:00 CEST (07:00 UTC).
    assert office.add_time(berlin(2026, 3, 27, 16, 0), 2 * H) == datetime(
        2026, 3, 30, 8, 0, tzinfo=UTC
    )


def test_a_due_moment_across_the_us_change_back_to_winter_time() -> None:
    ny = WorkingCalendar("ny", "America/New_York", parse_hours(["mon-sun 00:00-24:00"]))
    start = datetime(2026, 10, 31, 12, 0, tzinfo=NEW_YORK)  # clocks go back on 1 November
    assert ny.add_time(start, 24 * H) == start.astimezone(UTC) + 24 * H
    # The day of the change has 25 hours of working time.
    day = datetime(2026, 11, 1, 0, 0, tzinfo=NEW_YORK)
    assert ny.between(day, datetime(2026, 11, 2, 0, 0, tzinfo=NEW_YORK)) == 25 * H
    office = WorkingCalendar("nyo", "America/New_York", parse_hours(["mon-fri 09:00-17:00"]))
    # 09:00 in New York is 13:00 UTC before the change and 14:00 UTC after it.
    assert office.add_time(datetime(2026, 10, 30, 16, 0, tzinfo=NEW_YORK), 2 * H) == (
        datetime(2026, 11, 2, 15, 0, tzinfo=UTC)
    )


def test_a_calendar_in_a_timezone_far_from_the_viewer() -> None:
    tokyo = WorkingCalendar("tokyo", "Asia/Tokyo", parse_hours(["mon-fri 09:00-18:00"]))
    # Monday 20:00 in San Francisco is Tuesday 13:00 in Tokyo: 5 h left that day.
    start = datetime(2026, 11, 9, 20, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    due = tokyo.add_time(start, 6 * H)
    assert due.astimezone(ZoneInfo("Asia/Tokyo")) == datetime(
        2026, 11, 11, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo")
    )


def test_a_wall_time_skipped_by_summer_time_opens_after_the_gap() -> None:
    night = WorkingCalendar("night", "Europe/Berlin", parse_hours(["sun 02:30-04:00"]))
    opens = night.next_opening(berlin(2026, 3, 29, 0, 0))
    assert opens == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)  # 03:00 CEST, the first wall time
    assert night.between(opens, berlin(2026, 3, 29, 5, 0)) == H


def test_twenty_four_seven_is_wall_time() -> None:
    start = datetime(2026, 11, 6, 16, 30, tzinfo=UTC)
    assert TWENTY_FOUR_SEVEN.add_time(start, 26 * H) == start + 26 * H
    assert TWENTY_FOUR_SEVEN.is_always_open


@pytest.mark.parametrize(
    ("spec", "field"),
    [
        (["someday 09:00-17:00"], "hours"),
        (["mon 17:00-09:00"], "hours"),
        (["mon 09:00-12:00,11:00-13:00"], "hours"),
        (["mon 09:00-17:00", "mon 10:00-11:00"], "hours"),
        (["fri-mon 09:00-17:00"], "hours"),
        (["mon 9-17"], "hours"),
    ],
)
def test_bad_hours_name_the_field(spec: list[str], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_hours(spec)
    assert caught.value.field == field


def test_bad_timezone_duration_and_an_empty_week_are_refused() -> None:
    with pytest.raises(InvalidInput, match="timezone"):
        WorkingCalendar("x", "Mars/Olympus")
    with pytest.raises(InvalidInput, match="working time"):
        WorkingCalendar("x", "UTC", parse_hours([]))
    with pytest.raises(InvalidInput, match="duration"):
        parse_duration("soon")
    assert parse_duration("1h30m") == timedelta(minutes=90)
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("8h") == 8 * H


# ---------------------------------------------------------------------- properties
moments = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))
calendars = st.sampled_from(
    [
        MUNICH,
        TWENTY_FOUR_SEVEN,
        WorkingCalendar("ny", "America/New_York", parse_hours(["mon-fri 08:30-17:30"])),
        WorkingCalendar("tokyo", "Asia/Tokyo", parse_hours(["mon-sat 00:00-03:00,22:00-24:00"])),
    ]
)


@settings(max_examples=150, deadline=None)
@given(calendars, moments, durations)
def test_between_gives_the_added_duration_back(
    cal: WorkingCalendar, start: datetime, duration: timedelta
) -> None:
    assert cal.between(start, cal.add_time(start, duration)) == duration


@settings(max_examples=150, deadline=None)
@given(calendars, moments, durations, durations)
def test_adding_in_two_steps_equals_adding_once(
    cal: WorkingCalendar, start: datetime, a: timedelta, b: timedelta
) -> None:
    assert cal.add_time(cal.add_time(start, a), b) == cal.add_time(start, a + b)


@settings(max_examples=150, deadline=None)
@given(calendars, moments, durations)
def test_results_fall_inside_working_time(
    cal: WorkingCalendar, start: datetime, duration: timedelta
) -> None:
    due = cal.add_time(start, duration)
    # inside a range, or exactly on a closing time (the range ending then counts)
    assert cal.is_open(due) or cal.is_open(due - timedelta(microseconds=1))
