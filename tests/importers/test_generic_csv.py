"""Sheets from other trackers read without --map: known column names, made ids, and saying so."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from escdesk.importers import csvfile
from escdesk.importers.base import ParsedRecord
from escdesk.importers.rowids import by_content
from tests.importers.builders import fatal, fixture, parse_text, problems


def told(records: list[ParsedRecord], field: str) -> str:
    return next(n.message for r in records for n in r.notices if n.field == field)


def test_a_bugzilla_export_is_read_by_its_own_column_names_and_says_which_became_which() -> None:
    records = parse_text(csvfile.parse, fixture("bugzilla_bugs.csv").read_bytes())

    first, second = (r.ticket for r in records)
    assert first is not None and second is not None
    assert first.key == ("test", "4711")
    assert first.subject == "Alarm fires twice for recurring events"
    assert first.created_at == datetime(2020, 3, 1, 9, 15, tzinfo=UTC)
    assert (first.product_area, first.component, first.status, first.priority) == (
        "Calendar",
        "Alarms",
        "RESOLVED",
        "P2",
    )
    assert told(records, "columns") == (
        "read 'bug_id' → id, 'short_desc' → subject, 'creation_ts' → created_at, "
        "'product' → product_area, 'component' → component, 'priority' → priority, "
        "'bug_status' → status; not read: 'assigned_to', 'resolution', 'changeddate'"
    )
    assert [n.field for n in records[1].notices] == []  # told once, with the first record


def test_a_servicenow_incident_export_is_read_without_a_map() -> None:
    records = parse_text(csvfile.parse, fixture("servicenow_incidents.csv").read_bytes())

    first, second = (r.ticket for r in records)
    assert first is not None and second is not None
    assert (first.external_id, first.subject) == ("INC0010001", "VPN drops every 10 minutes")
    assert (first.account, first.product_area, first.component) == (
        "Acme Corp",
        "Network",
        "Network Operations",
    )
    assert first.solved_at == datetime(2023, 6, 1, 15, 30, tzinfo=UTC)
    assert (second.priority, second.status, second.solved_at) == ("4 - Low", "In Progress", None)


def test_jira_dates_are_read_in_a_generic_sheet() -> None:
    text = "Issue id,Summary,Created,Resolved\n13404344,JAR check fails,30/Sep/21 17:20,\n"

    ticket = parse_text(csvfile.parse, text)[0].ticket

    assert ticket is not None and ticket.created_at == datetime(2021, 9, 30, 17, 20, tzinfo=UTC)


def test_a_sheet_without_ids_gets_ids_made_from_each_rows_content_and_says_so() -> None:
    records = parse_text(csvfile.parse, fixture("sheet_without_ids.csv").read_bytes())

    ids = [r.ticket.external_id for r in records if r.ticket]
    assert len(ids) == 3 and len(set(ids)) == 3 and all(len(i) == 16 for i in ids)
    assert told(records, "id").startswith(
        "the file has no id column: each ticket's id is a hash of its row's creation date, "
        "subject and body"
    )


def test_content_ids_do_not_depend_on_where_a_row_is_or_on_its_status() -> None:
    first = "Subject,Status,Created\nA,open,2024-01-01\nB,open,2024-01-02\n"
    later = "Subject,Status,Created\nB,solved,2024-01-02\nA,solved,2024-01-01\n"

    before = {r.ticket.subject: r.ticket.external_id for r in parse_text(csvfile.parse, first)}
    after = {r.ticket.subject: r.ticket.external_id for r in parse_text(csvfile.parse, later)}

    assert before == after


def test_under_a_named_source_rows_are_numbered_by_position_and_it_says_so() -> None:
    records = parse_text(
        csvfile.parse,
        fixture("sheet_without_ids.csv").read_bytes(),
        source="it-desk",
        row_ids="position",
    )

    assert [r.ticket.key for r in records if r.ticket] == [
        ("it-desk", "1"),
        ("it-desk", "2"),
        ("it-desk", "3"),
    ]
    assert told(records, "id") == (
        "the file has no id column: each ticket's id is its row's position (1, 2, …) under "
        "the source 'it-desk'; re-import the file under that source to update them"
    )


def test_a_repeated_row_without_ids_is_reported_as_a_repeated_row() -> None:
    row = "Printer jams,2024-04-02 08:00\n"
    text = "Subject,Created\n" + row + "Other,2024-04-02\n" + row

    found = problems(csvfile.parse, text)

    assert found == [
        "line 4: record: repeats the record at line 2 (the file has no id column: ids are made "
        "from each row's content). Remove the repeated row, or name the source (--source NAME) "
        "to number rows"
    ]


def test_a_content_id_is_a_hash_of_date_subject_and_body() -> None:
    class Cells:
        def cell(self, row: list[str], field: str) -> str | None:
            return {"created_at": "2024-01-01", "subject": "A", "body": None}[field]

    assert by_content([], Cells(), 1) == by_content(["anything"], Cells(), 99)


def test_a_sheet_with_suffixed_columns_is_told_which_maps_would_read_it() -> None:
    header = "\tbug_id_x\ttitle_x\tdescription_x\tcreation_ts_x\n"

    error = fatal(csvfile.parse, header + "0\t1\tT\tD\t2004-01-01 00:00:00\n")

    assert error.field == "line 1: file"
    assert error.problem.startswith("has no column for subject (such as 'subject', 'summary'")
    assert error.fix == (
        "Map the column that holds id, subject and created_at: "
        "--map id=bug_id_x --map subject=title_x --map created_at=creation_ts_x"
    )


def test_a_sheet_without_dates_cannot_be_imported_and_says_what_is_missing() -> None:
    error = fatal(csvfile.parse, "Short description,Description,Caller\nlogin issue,reset,x y\n")

    assert error.problem.startswith("has no column for created_at (such as 'created at', 'created'")
    assert error.fix == "Map the column that holds created_at: --map created_at=<column>"


@pytest.mark.parametrize("header", ["Ticket ID,Title,Opened", "ticket_id,TITLE,opened_at"])
def test_column_names_are_compared_without_case_or_separators(header: str) -> None:
    ticket = parse_text(csvfile.parse, f"{header}\n7,Login loops,2024-01-01\n")[0].ticket

    assert ticket is not None and (ticket.external_id, ticket.subject) == ("7", "Login loops")
