"""Freshdesk's ticket CSV export."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from escdesk.importers import freshdesk
from tests.importers.builders import fatal, fixture, parse_text, problems

HEADER = "Ticket ID,Subject,Status,Priority,Created time,Resolved time,Closed time,Company Name\n"


def test_the_export_parses_to_tickets_with_their_values() -> None:
    records = parse_text(freshdesk.parse, fixture("freshdesk_tickets.csv").read_bytes())

    assert [r.line for r in records] == [2, 4, 5]
    first, second, third = (r.ticket for r in records)
    assert first is not None and second is not None and third is not None
    assert first.key == ("test", "1042")
    assert first.subject == "Cannot upload attachments larger than 10 MB"
    assert first.body.endswith("We tried Chrome and Firefox.")
    assert (first.status, first.priority) == ("Resolved", "High")
    assert (first.account, first.product_area, first.component) == (
        "Initech",
        "Core Platform",
        "Tier 2",
    )
    assert first.created_at == datetime(2024, 2, 10, 9, 12, 44, tzinfo=UTC)
    assert first.solved_at == datetime(2024, 2, 10, 15, 2, 10, tzinfo=UTC)
    assert first.tags == ("attachments", "upload")
    # no "Resolved time": the "Closed time" stands in
    assert second.solved_at == datetime(2024, 2, 14, 11, 0, tzinfo=UTC)
    assert (third.account, third.solved_at, third.tags) == (None, None, ())


def test_the_source_defaults_to_freshdesk() -> None:
    with fixture("freshdesk_tickets.csv").open("rb") as stream:
        first = next(freshdesk.parse(stream))

    assert first.ticket is not None and first.ticket.source == "freshdesk"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (",No id,Open,Low,2024-02-01 10:00:00,,,", "line 3: Ticket ID: is missing"),
        ("7,,Open,Low,2024-02-01 10:00:00,,,", "line 3: Subject: is missing"),
        ("7,S,Open,Low,Feb 1st,,,", "line 3: Created time: 'Feb 1st' is not a date"),
        ("7,S,Open,Low,2024-02-01 10:00:00,soon,,", "line 3: Resolved time: 'soon' is not"),
        (
            "7,S,Open,Low,2024-02-01 10:00:00,2024-01-01 00:00:00,,",
            "line 3: Resolved time: is before",
        ),
        (
            "1,Again,Open,Low,2024-02-01 10:00:00,,,",
            "line 3: Ticket ID: '1' is already used at line 2",
        ),
        ("7,S,Open", "line 3: record: has 3 values but the header has 8 columns"),
    ],
)
def test_a_bad_row_names_its_line_and_freshdesk_column(row: str, expected: str) -> None:
    text = HEADER + "1,Fine,Open,Low,2024-02-01 10:00:00,,,\n" + row + "\n"

    found = problems(freshdesk.parse, text)

    assert len(found) == 1
    assert found[0].startswith(expected)


def test_a_file_that_is_not_a_freshdesk_export_fails_at_line_1() -> None:
    error = fatal(freshdesk.parse, fixture("tickets.csv").read_bytes())

    assert error.field == "line 1: file"
    assert error.problem.startswith("has no column 'Ticket ID' (its columns are 'id', 'subject'")
    assert error.fix == "This looks like a csv export: use --format csv"


def test_a_csv_of_unknown_origin_is_told_how_to_map_or_check_the_export() -> None:
    error = fatal(freshdesk.parse, "Number,Title,Opened\n1,Login,2024-01-01\n")

    assert error.fix == (
        "Map the column that holds id: --map id=<column>, or check that this is a freshdesk export"
    )


def test_a_zendesk_document_passed_as_freshdesk_fails_at_line_1_naming_its_format() -> None:
    error = fatal(freshdesk.parse, fixture("zendesk_incremental.json").read_bytes())

    assert error.problem.startswith("is not a Freshdesk export")
    assert error.fix == "This looks like a zendesk export: use --format zendesk"


def test_an_empty_export_is_refused() -> None:
    assert fatal(freshdesk.parse, b"").problem == "is empty"
