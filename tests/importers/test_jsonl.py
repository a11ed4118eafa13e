"""escdesk's own jsonl format: good files, every kind of bad record, wrong files."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.importers import jsonl
from tests.importers.builders import (
    MISSING,
    fatal,
    fixture,
    jsonl_text,
    parse_text,
    problems,
    ticket_object,
)


def test_a_good_file_parses_to_tickets_with_their_values() -> None:
    with fixture("tickets.jsonl").open("rb") as stream:
        records = list(jsonl.parse(stream, source="acme"))

    tickets = [record.ticket for record in records]
    assert [record.line for record in records] == [1, 2, 4]  # line 3 is blank
    first, second, third = tickets
    assert first is not None and second is not None and third is not None
    assert first.key == ("acme", "T-1001")
    assert first.subject == "SSO login redirects in a loop"
    assert first.body == "After the IdP, Chrome returns to our login page."
    assert first.created_at == datetime(2024, 3, 1, 9, 15, tzinfo=UTC)
    assert first.solved_at == datetime(2024, 3, 2, 10, 0, tzinfo=UTC)
    assert (first.account, first.product_area, first.component) == (
        "Acme Corp",
        "Authentication",
        "SSO",
    )
    assert (first.priority, first.status, first.tags) == ("high", "solved", ("sso", "login"))
    # null fields, a naive timestamp (UTC) and unknown keys ("csat", "channel")
    assert second.created_at == datetime(2024, 3, 1, 17, 40, tzinfo=UTC)
    assert (second.component, second.priority, second.solved_at, second.tags) == (
        None,
        None,
        None,
        (),
    )
    # an offset is converted to UTC; the subject is trimmed
    assert third.created_at == datetime(2024, 3, 4, 6, 0, tzinfo=UTC)
    assert third.subject == "Invoice lacks VAT number"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"id": MISSING}, "line 2: id: is missing"),
        ({"id": "  "}, "line 2: id: is missing"),
        ({"subject": MISSING}, "line 2: subject: is missing"),
        ({"subject": ""}, "line 2: subject: is missing"),
        ({"created_at": MISSING}, "line 2: created_at: is missing"),
        (
            {"created_at": "2023-13-01"},
            "line 2: created_at: '2023-13-01' is not an ISO 8601 date. "
            "Write it as 2023-01-31T09:00:00Z",
        ),
        ({"created_at": 1700000000}, "line 2: created_at: is the number 1700000000, not a date"),
        ({"solved_at": "yesterday"}, "line 2: solved_at: 'yesterday' is not an ISO 8601 date"),
        ({"id": 42}, 'line 2: id: is the number 42, not text. Quote it: "42"'),
        ({"subject": ["a"]}, "line 2: subject: is a list, not text"),
        ({"account": True}, "line 2: account: is true, not text"),
        ({"tags": "sso, login"}, "line 2: tags: is 'sso, login', not a list of text"),
        ({"tags": ["sso", 3]}, "line 2: tags: is a list, not a list of text"),
        ({"solved_at": "2024-02-01T00:00:00Z"}, "line 2: solved_at: is before created_at"),
    ],
)
def test_a_bad_record_names_its_line_and_field(overrides: dict[str, object], expected: str) -> None:
    text = jsonl_text(ticket_object(1), ticket_object(2, **overrides), ticket_object(3))

    found = problems(jsonl.parse, text)

    assert len(found) == 1
    assert found[0].startswith(expected)


def test_malformed_json_on_a_line_is_a_bad_record_and_the_next_lines_still_parse() -> None:
    broken = '{"id": "T-2", "subject": "x",\n'
    text = jsonl_text(ticket_object(1)) + broken + jsonl_text(ticket_object(3))

    records = parse_text(jsonl.parse, text)

    assert [r.ticket.external_id for r in records if r.ticket] == ["T-1", "T-3"]
    assert str(records[1].invalid).startswith("line 2: record: is not valid JSON at column")


def test_a_line_that_is_not_an_object_is_a_bad_record() -> None:
    text = jsonl_text(ticket_object(1)) + '["T-2", "subject"]\n'

    assert problems(jsonl.parse, text) == [
        "line 2: record: is a list, not a JSON object. Write one JSON object per line"
    ]


def test_a_repeated_id_names_the_line_it_was_first_used_on() -> None:
    text = jsonl_text(ticket_object(1), ticket_object(2), ticket_object(1, subject="Again"))

    assert problems(jsonl.parse, text) == [
        "line 3: id: 'T-1' is already used at line 1. "
        "Give each ticket its own id, or remove the repeated record"
    ]


def test_repeats_can_be_allowed_so_the_later_record_updates_the_earlier() -> None:
    text = jsonl_text(ticket_object(1), ticket_object(1, subject="Again"))

    records = parse_text(jsonl.parse, text, allow_repeats=True)

    assert [r.ticket.subject for r in records if r.ticket] == ["Subject 1", "Again"]


@pytest.mark.parametrize("text", ["", "\n\n  \n"])
def test_an_empty_file_fails_at_line_1(text: str) -> None:
    error = fatal(jsonl.parse, text)

    assert error.field.startswith("line ")
    assert error.field.endswith(": file")
    assert error.problem == "is empty"


def test_a_csv_file_passed_as_jsonl_fails_at_line_1_and_suggests_csv() -> None:
    error = fatal(jsonl.parse, fixture("tickets.csv").read_text())

    assert error.field == "line 1: file"
    assert "is not JSON Lines" in error.problem
    assert "--format csv" in error.problem


@pytest.mark.parametrize("name", ["zendesk_incremental.json", "zendesk_with_orgs.json"])
def test_a_json_document_passed_as_jsonl_fails_at_line_1(name: str) -> None:
    error = fatal(jsonl.parse, fixture(name).read_text())

    assert error.field == "line 1: file"
    assert "--format zendesk or jira-json" in error.problem


def test_text_that_is_not_utf8_fails_naming_the_encoding() -> None:
    latin1 = '{"id": "T-2", "subject": "Café"}\n'.encode("latin-1")
    text = jsonl_text(ticket_object(1)).encode() + latin1

    error = fatal(jsonl.parse, text)

    assert error.field.endswith(": file")
    assert "is not UTF-8 text" in error.problem
    assert "UTF-8" in error.fix


def test_a_byte_order_mark_is_ignored_in_bytes_and_in_text() -> None:
    text = "\ufeff" + jsonl_text(ticket_object(1))

    from_bytes = parse_text(jsonl.parse, text.encode("utf-8"))
    from_text = list(jsonl.parse(io.StringIO(text), source="test"))

    assert from_bytes[0].ticket is not None and from_text[0].ticket is not None


def test_bytes_read_grows_to_the_size_of_the_file() -> None:
    data = fixture("tickets.jsonl").read_bytes()

    records = parse_text(jsonl.parse, data)

    assert records[-1].bytes_read == len(data)


def test_an_empty_source_name_is_refused() -> None:
    with pytest.raises(InvalidInput, match="source: is empty"):
        list(jsonl.parse(io.BytesIO(b""), source=" "))


@pytest.mark.parametrize(
    ("name", "fmt"), [("zendesk_export.ndjson", "zendesk"), ("jira_search.json", "jira-json")]
)
def test_another_helpdesk_s_records_passed_as_jsonl_name_their_format(name: str, fmt: str) -> None:
    text = fixture(name).read_text()
    if fmt == "jira-json":  # one issue per line, as a script would dump them
        text = "".join(json.dumps(i) + "\n" for i in json.loads(text)["issues"])

    error = fatal(jsonl.parse, text)

    assert error.field == "line 1: file"
    assert error.fix == f"Use --format {fmt}"
