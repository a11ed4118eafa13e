"""Zendesk as its API answers one ticket and searches, and as its JSON export carries comments."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from escdesk.importers import zendesk
from tests.importers.builders import fatal, fixture, parse_text


def test_a_show_ticket_answer_is_one_ticket() -> None:
    records = parse_text(
        zendesk.parse,
        fixture("zendesk_show_ticket.json").read_bytes(),
        mapping={"product_area": "360001234567"},
    )

    assert len(records) == 1 and records[0].line == 1
    ticket = records[0].ticket
    assert ticket is not None
    assert ticket.key == ("test", "35501")
    assert ticket.subject == "Scheduled report e-mails arrive empty"
    assert ticket.body == "The weekly report e-mail has no attachment since Monday."
    assert ticket.created_at == datetime(2024, 2, 3, 11, 20, tzinfo=UTC)
    assert (ticket.priority, ticket.status, ticket.product_area) == (
        "urgent",
        "pending",
        "reporting",
    )
    assert ticket.tags == ("reports", "email")


def test_show_ticket_answers_saved_one_after_another_are_each_a_ticket() -> None:
    one = json.loads(fixture("zendesk_show_ticket.json").read_text(encoding="utf-8"))
    two = json.loads(json.dumps(one))
    two["ticket"].update(id=35502, subject="Second answer")
    text = json.dumps(one) + "\n" + json.dumps(two) + "\n"

    records = parse_text(zendesk.parse, text)

    assert [(r.line, r.ticket.external_id) for r in records if r.ticket] == [
        (1, "35501"),
        (2, "35502"),
    ]


def test_search_results_keep_the_tickets_and_pass_over_other_results() -> None:
    records = parse_text(zendesk.parse, fixture("zendesk_search.json").read_bytes())

    tickets = [r.ticket for r in records if r.ticket]
    assert [t.external_id for t in tickets] == ["35610", "35611"]
    assert [r.record for r in records] == [1, 3]  # the user in between is not a ticket
    assert (tickets[1].priority, tickets[1].account, tickets[1].tags) == (None, None, ())


def test_the_first_public_comment_is_the_body_when_the_description_is_empty() -> None:
    records = parse_text(zendesk.parse, fixture("zendesk_export_comments.ndjson").read_bytes())

    first, second, third = (r.ticket for r in records)
    assert first is not None and second is not None and third is not None
    assert first.body == "Our December invoice is in USD, we pay in EUR."
    # the internal note comes first, but only the public comment is the customer's words
    assert second.body == "API calls return 429 from 09:00 UTC.\nWe send 10 requests a minute."
    assert second.subject == "API calls return 429 from 09:00 UTC."
    assert (third.subject, third.body) == ("Export to CSV drops accents", "")
    told = [(n.field, n.message, n.where) for r in records for n in r.notices]
    assert told == [
        ("description", "is empty: the first public comment is the body", "line 2"),
        ("subject", "is empty: the first line of the body stands in", "line 2"),
    ]


def test_a_freshdesk_file_given_as_zendesk_fails_at_its_first_record_naming_freshdesk() -> None:
    error = fatal(zendesk.parse, fixture("freshdesk_v2_tickets.json").read_bytes())

    assert error.field == "line 2: file"  # where the first ticket starts
    assert error.fix == "This looks like a freshdesk export: use --format freshdesk"


def test_a_comments_answer_is_not_taken_for_tickets() -> None:
    text = json.dumps({"comments": [{"id": 1, "body": "Hello", "public": True}], "count": 1})

    error = fatal(zendesk.parse, text)

    assert error.problem.startswith("is not a Zendesk export (its first record is an object with")
