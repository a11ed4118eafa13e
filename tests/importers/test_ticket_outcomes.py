"""How each export says a ticket was answered: first-contact resolution and satisfaction."""

from __future__ import annotations

import json

from escdesk.importers import csvfile, freshdesk, jsonl, zendesk
from tests.importers.builders import fixture, parse_text, problems
from tests.importers.test_zendesk import document, zendesk_ticket

REQUESTER, AGENT = 501, 901


def comments(*authors: int) -> list[dict[str, object]]:
    return [
        {"id": n, "author_id": who, "public": True, "body": f"message {n}"}
        for n, who in enumerate(authors, start=1)
    ]


def test_zendesk_counts_the_public_comments_of_the_requester_and_of_the_agents() -> None:
    once = zendesk_ticket(1, requester_id=REQUESTER, comments=comments(REQUESTER, AGENT))
    twice = zendesk_ticket(
        2, requester_id=REQUESTER, comments=comments(REQUESTER, AGENT, REQUESTER, AGENT)
    )
    private = comments(REQUESTER, AGENT, AGENT)
    private[2]["public"] = False  # an internal note is no reply to the customer
    noted = zendesk_ticket(3, requester_id=REQUESTER, comments=private)
    records = parse_text(zendesk.parse, document(once, twice, noted))
    assert [r.ticket.first_contact for r in records if r.ticket] == [True, False, True]


def test_zendesk_without_comments_uses_its_one_touch_metrics() -> None:
    one = zendesk_ticket(1, metric_set={"replies": 1, "reopens": 0})
    reopened = zendesk_ticket(2, metric_set={"replies": 1, "reopens": 1})
    unknown = zendesk_ticket(3)
    records = parse_text(zendesk.parse, document(one, reopened, unknown))
    assert [r.ticket.first_contact for r in records if r.ticket] == [True, False, None]


def test_zendesk_reads_the_satisfaction_rating_score() -> None:
    tickets = [
        zendesk_ticket(n, satisfaction_rating=rating)
        for n, rating in enumerate(
            [
                {"score": "good", "comment": "Thanks!"},
                {"score": "bad"},
                {"score": "offered"},
                {"score": "unoffered"},
                None,
            ],
            start=1,
        )
    ]
    records = parse_text(zendesk.parse, document(*tickets))
    assert [r.ticket.satisfied for r in records if r.ticket] == [True, False, None, None, None]
    odd = json.dumps({"tickets": [zendesk_ticket(9, satisfaction_rating={"score": "meh"})]})
    assert problems(zendesk.parse, odd) == [
        "record 1 (line 1): satisfaction_rating.score: 'meh' is not a satisfaction rating. "
        "Use good or bad, a score from 1 to 5, or yes or no"
    ]


FRESHDESK = (
    "Ticket ID,Subject,Created time,Resolved time,Agent interactions,Customer interactions\n"
    "1,Export fails,2024-02-10 09:00:00,2024-02-10 11:00:00,1,1\n"
    "2,Login loop,2024-02-10 09:00:00,2024-02-12 11:00:00,3,2\n"
    "3,Slow page,2024-02-10 09:00:00,,,\n"
)


def test_freshdesk_reads_its_agent_and_customer_interactions() -> None:
    records = parse_text(freshdesk.parse, FRESHDESK)
    assert [r.ticket.first_contact for r in records if r.ticket] == [True, False, None]


def test_a_bad_count_names_the_freshdesk_column() -> None:
    text = FRESHDESK.splitlines()[0] + "\n4,x,2024-02-10 09:00:00,,many,1\n"
    assert problems(freshdesk.parse, text) == [
        "line 2: Agent interactions: 'many' is not a count. Give a whole number such as 2"
    ]


def test_a_generic_sheet_with_fcr_and_csat_columns_is_read_and_told() -> None:
    text = (
        "Number,Short description,Opened,Closed,FCR,CSAT\n"
        "INC1,VPN drops,2024-03-01 10:00,2024-03-01 12:00,yes,5\n"
        "INC2,Printer jams,2024-03-01 10:00,2024-03-02 12:00,no,2\n"
        "INC3,Mail slow,2024-03-01 10:00,,,\n"
    )
    records = parse_text(csvfile.parse, text)
    outcomes = [(r.ticket.first_contact, r.ticket.satisfied) for r in records if r.ticket]
    assert outcomes == [(True, True), (False, False), (None, None)]
    told = " ".join(str(n) for r in records for n in r.notices)
    assert "'FCR' → first_contact" in told and "'CSAT' → satisfaction" in told


def test_freshdesks_shipped_export_gives_outcomes_and_its_survey_result() -> None:
    records = parse_text(freshdesk.parse, fixture("freshdesk_tickets.csv").read_bytes())
    outcomes = [(r.ticket.first_contact, r.ticket.satisfied) for r in records if r.ticket]
    # 2 agent and 1 customer interactions; 4 and 3 with a "Neutral" survey; 0 and 1
    assert outcomes == [(False, None), (False, False), (True, None)]


def test_escdesks_own_lines_carry_counts_flags_and_ratings() -> None:
    lines = "\n".join(
        json.dumps({"id": str(n), "subject": "s", "created_at": "2024-03-01T09:00:00Z", **extra})
        for n, extra in enumerate(
            [
                {"customer_messages": 1, "agent_replies": 1, "satisfaction": 5},
                {"customer_messages": 3, "agent_replies": 2, "first_contact": True},
                {"first_contact": False, "satisfaction": "good"},
                {},
            ],
            start=1,
        )
    )
    records = parse_text(jsonl.parse, lines)
    outcomes = [(r.ticket.first_contact, r.ticket.satisfied) for r in records if r.ticket]
    assert outcomes == [(True, True), (False, None), (False, True), (None, None)]
    bad = json.dumps({"id": "9", "subject": "s", "created_at": "2024-03-01T09:00:00Z",
                      "agent_replies": "two"})  # fmt: skip
    assert problems(jsonl.parse, bad) == [
        "line 1: agent_replies: is 'two', not a count. Give a whole number or null"
    ]
