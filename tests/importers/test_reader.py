"""Importing a file: stop at the first bad record, or skip and report every one of them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.importers import FORMATS, import_stream, open_import, read_tickets
from tests.importers.builders import fixture, jsonl_text, ticket_object

FORMAT_FIXTURES = {
    "jsonl": "tickets.jsonl",
    "csv": "tickets.csv",
    "zendesk": "zendesk_incremental.json",
    "freshdesk": "freshdesk_tickets.csv",
    "jira-csv": "jira_issues.csv",
    "jira-json": "jira_search.json",
}


def write(tmp_path: Path, text: str, name: str = "tickets.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mixed_file(tmp_path: Path) -> Path:
    return write(
        tmp_path,
        jsonl_text(
            ticket_object(1),
            ticket_object(2, created_at="2023-13-01"),
            ticket_object(3),
            ticket_object(4, subject=""),
            ticket_object(1),
            ticket_object(6),
        ),
    )


@pytest.mark.parametrize(("fmt", "name"), FORMAT_FIXTURES.items())
def test_every_format_reads_its_fixture_under_its_default_source(fmt: str, name: str) -> None:
    result = read_tickets(fixture(name), fmt)

    assert result.tickets and not result.report.skipped
    assert {t.source for t in result.tickets} == {FORMATS[fmt].default_source}
    assert result.report.tickets == len(result.tickets)
    assert result.report.bytes_read == result.report.total_bytes == fixture(name).stat().st_size


def test_the_first_bad_record_stops_the_import_naming_line_and_field(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_tickets(mixed_file(tmp_path), "jsonl")

    assert caught.value.field == "line 2: created_at"
    assert caught.value.problem == "'2023-13-01' is not an ISO 8601 date"
    assert caught.value.fix == "Write it as 2023-01-31T09:00:00Z"
    assert str(caught.value) == (
        "line 2: created_at: '2023-13-01' is not an ISO 8601 date. Write it as 2023-01-31T09:00:00Z"
    )


def test_a_caller_has_written_only_the_tickets_before_the_bad_record(tmp_path: Path) -> None:
    written = []
    with pytest.raises(InvalidInput), open_import(mixed_file(tmp_path), "jsonl") as run:
        for ticket in run:
            written.append(ticket.external_id)

    assert written == ["T-1"]  # the caller rolls back its transaction: nothing is half-written


def test_skipping_invalid_records_collects_every_skipped_line(tmp_path: Path) -> None:
    result = read_tickets(mixed_file(tmp_path), "jsonl", skip_invalid=True)

    assert [t.external_id for t in result.tickets] == ["T-1", "T-3", "T-6"]
    assert [(s.line, s.field) for s in result.report.skipped] == [
        (2, "created_at"),
        (4, "subject"),
        (5, "id"),
    ]
    assert result.report.tickets == 3


def test_file_level_errors_stop_even_when_skipping(tmp_path: Path) -> None:
    path = write(tmp_path, "id,subject,created_at\nT-1,S,2024-01-01\n")

    with pytest.raises(InvalidInput) as caught:
        read_tickets(path, "jsonl", skip_invalid=True)

    assert caught.value.field == "line 1: file"


def test_source_and_mapping_are_passed_to_the_format() -> None:
    result = read_tickets(
        fixture("tickets_mapped.csv"),
        "csv",
        source="legacy-desk",
        mapping={"id": "Ticket No", "subject": "Title", "created_at": "Created On"},
    )

    assert [t.key for t in result.tickets] == [("legacy-desk", "CASE-7"), ("legacy-desk", "CASE-8")]


def test_an_unknown_format_names_the_formats_there_are(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_tickets(tmp_path / "missing.xml", "xml")

    assert caught.value.field == "format"
    assert caught.value.fix == "Use one of: jsonl, csv, zendesk, freshdesk, jira-csv, jira-json"


@pytest.mark.parametrize("name", ["missing.jsonl", "."])
def test_a_path_that_is_not_a_readable_file_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        read_tickets(tmp_path / name, "jsonl")

    assert caught.value.field == "file"


def test_progress_counts_bytes_as_the_records_are_read(tmp_path: Path) -> None:
    path = write(tmp_path, jsonl_text(*(ticket_object(n, body="x" * 400) for n in range(2000))))
    seen = []
    with open_import(path, "jsonl") as run:
        for _ in run:
            seen.append(run.report.bytes_read)

    assert seen == sorted(seen)
    assert seen[0] < run.report.total_bytes // 4  # a 64 KiB read, not the whole file
    assert seen[-1] == run.report.total_bytes


def test_an_open_text_stream_can_be_imported() -> None:
    run = import_stream(io.StringIO(jsonl_text(ticket_object(1))), "jsonl", source="stdin")

    assert [t.key for t in run] == [("stdin", "T-1")]
    assert run.report.bytes_read == len(jsonl_text(ticket_object(1)))
