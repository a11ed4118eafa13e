"""The generic csv format: default columns, --map, dates, bad rows, wrong files."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.importers import csvfile
from escdesk.importers.base import ImportOptions
from tests.importers.builders import fatal, fixture, parse_text, problems

HEADER = "id,subject,created_at,solved_at,tags\n"
MAP = {
    "id": "Ticket No",
    "subject": "Title",
    "body": "Details",
    "created_at": "Created On",
    "account": "Customer",
    "product_area": "Area",
    "priority": "Severity",
    "status": "State",
    "solved_at": "Closed On",
    "tags": "Labels",
}


def test_a_file_with_the_default_columns_parses_to_tickets() -> None:
    records = parse_text(csvfile.parse, fixture("tickets.csv").read_bytes(), source="sheet")

    # the first record spans lines 2-3 (a quoted line break), so the next starts at line 4
    assert [r.line for r in records] == [2, 4, 5]
    first, second, third = (r.ticket for r in records)
    assert first is not None and second is not None and third is not None
    assert first.key == ("sheet", "T-1")
    assert (
        first.body
        == "After the IdP, Chrome returns to our login page.\nSecond line of the description."
    )
    assert first.solved_at == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    assert first.tags == ("sso", "login")
    assert (second.body, second.component, second.priority, second.solved_at) == (
        "",
        None,
        None,
        None,
    )
    assert second.created_at == datetime(2024, 3, 1, 17, 40, tzinfo=UTC)
    # day-first dates, and tags split on semicolons
    assert third.created_at == datetime(2024, 3, 4, 8, 0, tzinfo=UTC)
    assert third.solved_at == datetime(2024, 3, 4, 12, 30, tzinfo=UTC)
    assert third.tags == ("billing", "invoice")


def test_mapped_columns_are_read_from_their_own_headers() -> None:
    records = parse_text(csvfile.parse, fixture("tickets_mapped.csv").read_bytes(), mapping=MAP)

    first = records[0].ticket
    assert first is not None
    assert (first.external_id, first.subject, first.account) == (
        "CASE-7",
        "Dashboard takes a minute to load",
        "Initech",
    )
    assert (first.product_area, first.priority, first.status) == ("Analytics", "P2", "Closed")
    assert first.created_at == datetime(2024, 5, 12, 14, 30, tzinfo=UTC)
    assert first.tags == ("performance",)


def test_a_mapped_field_can_be_switched_off() -> None:
    text = HEADER.replace("tags", "tags,component").rstrip("\n") + "\nT-1,S,2024-01-01,,a,SSO\n"

    ticket = parse_text(csvfile.parse, text, mapping={"component": ""})[0].ticket

    assert ticket is not None and ticket.component is None


def test_headers_match_regardless_of_case_and_spaces() -> None:
    text = " ID , Subject ,CREATED_AT\nT-1,Login fails,2024-01-01 10:00:00\n"

    ticket = parse_text(csvfile.parse, text)[0].ticket

    assert ticket is not None and ticket.subject == "Login fails"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (",No id,2024-01-01,,", "line 3: id: is missing"),
        ("T-2,,2024-01-01,,", "line 3: subject: is missing"),
        ("T-2,S,,,", "line 3: created_at: is missing"),
        (
            "T-2,S,2023-13-01,,",
            "line 3: created_at: '2023-13-01' is not a date escdesk reads "
            "(ISO 8601, YYYY-MM-DD HH:MM:SS, DD/MM/YYYY HH:MM or 12/Mar/23 4:05 PM). "
            "Write it as 2023-01-31T09:00:00Z or 2023-01-31 09:00:00",
        ),
        ("T-2,S,2024-01-01,31/02/2024 10:00,", "line 3: solved_at: '31/02/2024 10:00' is not"),
        ("T-2,S,2024-01-05,2024-01-01,", "line 3: solved_at: is before created_at"),
        ("T-2,S,2024-01-01", "line 3: record: has 3 values but the header has 5 columns"),
        ("T-1,Again,2024-01-01,,", "line 3: id: 'T-1' is already used at line 2"),
    ],
)
def test_a_bad_row_names_its_line_and_column(row: str, expected: str) -> None:
    text = HEADER + "T-1,Fine,2024-01-01,,\n" + row + "\n" + "T-3,Fine,2024-01-01,,\n"

    found = problems(csvfile.parse, text)

    assert len(found) == 1
    assert found[0].startswith(expected)


def test_errors_name_the_mapped_column_as_the_file_calls_it() -> None:
    text = "Ticket No,Title,Created On\nC-1,Login,tomorrow\n"

    found = problems(
        csvfile.parse,
        text,
        mapping={"id": "Ticket No", "subject": "Title", "created_at": "Created On"},
    )

    assert found[0].startswith("line 2: Created On: 'tomorrow' is not a date")


def test_a_missing_required_column_fails_at_line_1_listing_the_columns() -> None:
    error = fatal(csvfile.parse, "id,what,created_at\nT-1,Login,2024-01-01\n")

    assert error.field == "line 1: file"
    assert error.problem == (
        "has no column for subject (such as 'subject', 'summary', 'title', 'short desc', "
        "'short description', 'headline'; its columns are 'id', 'what', 'created_at')"
    )
    assert error.fix == "Map the column that holds subject: --map subject=<column>"


def test_a_mapped_column_that_is_not_in_the_file_fails_naming_the_map() -> None:
    error = fatal(csvfile.parse, HEADER + "T-1,S,2024-01-01,,\n", mapping={"subject": "Title"})

    assert error.problem.startswith("has no column 'Title'")
    assert error.fix == "Check --map subject='Title' against the file's first line"


def test_mapping_a_field_that_tickets_do_not_have_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        ImportOptions(mapping={"titel": "Title"})

    assert caught.value.field == "map"
    assert "'titel' is not a ticket field" in caught.value.problem


def test_an_empty_file_and_a_header_without_rows_are_refused() -> None:
    assert fatal(csvfile.parse, "").problem == "is empty"
    assert fatal(csvfile.parse, HEADER + "\n").problem == "has a header but no tickets"


def test_a_jsonl_file_passed_as_csv_fails_at_line_1() -> None:
    error = fatal(csvfile.parse, fixture("tickets.jsonl").read_bytes())

    assert error.field == "line 1: file"
    assert error.problem.startswith("is JSON, not CSV")


def test_skipped_rows_do_not_stop_the_rows_after_them() -> None:
    text = HEADER + "T-1,S,bad,,\nT-2,S,2024-01-01,,\n,S,2024-01-01,,\nT-4,S,2024-01-01,,\n"

    records = parse_text(csvfile.parse, text)

    assert [r.line for r in records if r.invalid] == [2, 4]
    assert [r.ticket.external_id for r in records if r.ticket] == ["T-2", "T-4"]


@pytest.mark.parametrize(
    ("name", "fmt"), [("freshdesk_tickets.csv", "freshdesk"), ("jira_issues.csv", "jira-csv")]
)
def test_a_helpdesk_export_read_as_plain_csv_names_the_format_that_reads_all_of_it(
    name: str, fmt: str
) -> None:
    records = parse_text(csvfile.parse, fixture(name).read_bytes())

    assert records and all(r.ticket for r in records)
    told = {notice.field: notice.message for notice in records[0].notices}
    assert (
        told["format"]
        == f"this looks like a {fmt} export: --format {fmt} reads every column it has"
    )


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_separated_sheets_are_read_too(delimiter: str) -> None:
    rows = [["id", "subject", "created_at"], ["T-1", "Login, again", "2024-01-01"]]
    text = "".join(delimiter.join(row) + "\n" for row in rows)

    ticket = parse_text(csvfile.parse, text)[0].ticket

    assert ticket is not None and ticket.subject == "Login, again"
