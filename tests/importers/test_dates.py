"""Timestamps as helpdesks write them, always read into aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from escdesk.importers.dates import parse_csv_date, parse_iso, parse_jira_date
from escdesk.importers.values import FieldProblem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-03-01T09:15:00Z", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),
        ("2024-03-01T09:15:00", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),  # naive is UTC
        ("2024-03-01T11:15:00+02:00", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),
        ("2024-03-01T04:15:00.000-0500", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),
        ("2024-03-01", datetime(2024, 3, 1, tzinfo=UTC)),
        (" 2024-03-01 09:15:00 ", datetime(2024, 3, 1, 9, 15, tzinfo=UTC)),
    ],
)
def test_iso_8601_in_its_common_spellings_is_read_as_utc(text: str, expected: datetime) -> None:
    moment = parse_iso(text, "created_at")

    assert moment == expected
    assert moment.tzinfo is UTC


def test_csv_dates_also_read_day_first() -> None:
    assert parse_csv_date("04/03/2024 08:00", "Created") == datetime(2024, 3, 4, 8, tzinfo=UTC)
    assert parse_csv_date("04/03/2024 08:00:30", "Created") == datetime(
        2024, 3, 4, 8, 0, 30, tzinfo=UTC
    )


def test_jsonl_dates_do_not_guess_day_first() -> None:
    with pytest.raises(FieldProblem):
        parse_iso("04/03/2024 08:00", "created_at")


def test_jira_dates_read_its_month_names() -> None:
    assert parse_jira_date("12/Mar/23 4:05 PM", "Created") == datetime(
        2023, 3, 12, 16, 5, tzinfo=UTC
    )


def test_a_date_that_is_not_one_says_how_to_write_it() -> None:
    with pytest.raises(FieldProblem) as caught:
        parse_iso("2023-13-01", "created_at")

    assert (caught.value.field, caught.value.problem, caught.value.fix) == (
        "created_at",
        "'2023-13-01' is not an ISO 8601 date",
        "Write it as 2023-01-31T09:00:00Z",
    )
