"""Freshdesk's API JSON (v2 lists and search, v1), told apart from its CSV export by itself."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from escdesk.importers import freshdesk
from tests.importers.builders import fatal, fixture, parse_text, problems


def test_a_v2_ticket_list_parses_to_tickets_with_their_values() -> None:
    records = parse_text(
        freshdesk.parse,
        fixture("freshdesk_v2_tickets.json").read_bytes(),
        mapping={"product_area": "cf_product_area", "component": "type"},
    )

    assert [(r.record, r.line) for r in records] == [(1, 2), (2, 42)]
    first, second = (r.ticket for r in records)
    assert first is not None and second is not None
    assert first.key == ("test", "2051")
    assert first.subject == "Mobile app crashes when opening a ticket"
    assert first.body == "The iOS app closes as soon as I tap a ticket. Version 5.2.1."
    assert (first.status, first.priority) == ("resolved", "high")
    assert (first.account, first.product_area, first.component) == (
        "Umbrella Health",
        "Mobile",
        "Incident",
    )
    assert first.solved_at == datetime(2024, 3, 6, 16, 0, tzinfo=UTC)
    assert first.tags == ("ios", "crash")
    # no description_text: the HTML description is read as text; no company name: its id
    assert second.body == "I need the invoices of 2023 for our auditors.\nThanks & regards"
    assert (second.status, second.priority) == ("open", "low")
    assert (second.account, second.product_area, second.solved_at) == ("43000678902", None, None)
    assert second.created_at == datetime(2024, 3, 5, 10, 15, tzinfo=UTC)


def test_search_results_are_read_and_a_custom_status_keeps_its_number() -> None:
    records = parse_text(freshdesk.parse, fixture("freshdesk_search.json").read_bytes())

    first, second = (r.ticket for r in records)
    assert first is not None and second is not None
    assert [(t.external_id, t.status, t.priority) for t in (first, second)] == [
        ("2060", "closed", "urgent"),
        ("2061", "7", "medium"),
    ]


def test_api_v1_tickets_are_read_by_their_display_id_and_named_status() -> None:
    records = parse_text(
        freshdesk.parse,
        fixture("freshdesk_v1_tickets.json").read_bytes(),
        mapping={"product_area": "product_area_1"},
    )

    first, second = (r.ticket for r in records)
    assert first is not None and second is not None
    assert first.key == ("test", "138")  # the number people see, as in the CSV export
    assert (first.status, first.priority, first.product_area) == ("Open", "Low", "Reporting")
    assert first.body == "Exports stop at 10,000 rows."
    assert first.created_at == datetime(2014, 1, 7, 9, 27, 55, tzinfo=UTC)
    assert second.body == "Login page shows a blank screen in IE 11."  # from the HTML
    assert (second.status, second.priority) == ("Closed", "High")


def test_one_ticket_as_the_view_endpoint_answers_is_read() -> None:
    ticket = json.loads(fixture("freshdesk_v2_tickets.json").read_text(encoding="utf-8"))[0]

    records = parse_text(freshdesk.parse, json.dumps(ticket, indent=2))

    assert [r.ticket.external_id for r in records if r.ticket] == ["2051"]


def test_the_csv_export_is_still_read_as_csv() -> None:
    records = parse_text(freshdesk.parse, fixture("freshdesk_tickets.csv").read_bytes())

    assert [r.ticket.external_id for r in records if r.ticket] == ["1042", "1043", "1044"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"created_at": None}, "record 2 (line 1): created_at: is missing"),
        ({"subject": ""}, "record 2 (line 1): subject: is missing"),
        ({"tags": "ios"}, "record 2 (line 1): tags: is 'ios', not a list"),
        ({"id": 2051}, "record 2 (line 1): id: '2051' is already used at record 1"),
    ],
)
def test_a_bad_ticket_names_its_record_and_field(change: dict[str, object], expected: str) -> None:
    good = {"id": 2051, "subject": "S", "created_at": "2024-03-05T09:00:00Z", "fr_due_by": None}
    bad = good | {"id": 2052} | change
    found = problems(freshdesk.parse, json.dumps([good, bad]))

    assert len(found) == 1 and found[0].startswith(expected)


def test_a_jira_search_given_as_freshdesk_names_its_format() -> None:
    error = fatal(freshdesk.parse, fixture("jira_search.json").read_bytes())

    assert error.fix == "This looks like a jira-json export: use --format jira-json"


def test_a_viewed_ticket_without_description_takes_its_first_public_conversation() -> None:
    text = fixture("freshdesk_view_conversations.json").read_text(encoding="utf-8")

    records = parse_text(freshdesk.parse, text)

    ticket = records[0].ticket
    assert ticket is not None
    assert ticket.body == "The export page has shown 0% since yesterday.\nWe need the file today."
    assert [str(n) for n in records[0].notices] == [
        "line 1: description: is empty: the first public conversation is the body"
    ]
