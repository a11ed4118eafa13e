"""Zendesk: tickets documents, the incremental export, NDJSON, sideloaded organizations."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.importers import zendesk
from tests.importers.builders import MISSING, fatal, fixture, parse_text, problems

PRODUCT_AREA_FIELD = "360001234567"


def zendesk_ticket(n: int = 1, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "id": n,
        "subject": f"Subject {n}",
        "description": "Body",
        "created_at": "2024-02-01T10:00:00Z",
        "status": "open",
        "tags": [],
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not MISSING}


def document(*tickets: dict[str, Any]) -> str:
    """A pretty-printed page, as the API's answer saved by a browser or jq."""
    return json.dumps(
        {"tickets": list(tickets), "next_page": None, "count": len(tickets)}, indent=2
    )


def test_the_incremental_export_parses_to_tickets_with_their_values() -> None:
    records = parse_text(
        zendesk.parse,
        fixture("zendesk_incremental.json").read_bytes(),
        source="zendesk",
        mapping={"product_area": PRODUCT_AREA_FIELD},
    )

    assert [(r.record, r.line) for r in records] == [(1, 3), (2, 45), (3, 62)]
    first, second, third = (r.ticket for r in records)
    assert first is not None and second is not None and third is not None
    assert first.key == ("zendesk", "35436")
    assert first.subject == "Export of monthly report fails with 504"
    assert first.body == "Exporting more than 50k rows fails after a minute."
    assert first.created_at == datetime(2024, 1, 20, 22, 55, 29, tzinfo=UTC)
    assert (first.priority, first.status, first.tags) == ("high", "solved", ("export", "reports"))
    assert first.product_area == "reporting"  # the mapped custom field
    assert first.account == "509974"  # no organization names in this export: the id
    assert (second.priority, second.account, second.product_area) == (None, None, "authentication")
    # a phone ticket without subject takes the first line of its description
    assert third.subject == "Caller says the invoice has no VAT number."
    assert third.solved_at == datetime(2024, 1, 23, 11, 59, tzinfo=UTC)  # from metric_set


def test_sideloaded_organizations_give_accounts_their_names() -> None:
    records = parse_text(zendesk.parse, fixture("zendesk_with_orgs.json").read_bytes())

    accounts = [r.ticket.account for r in records if r.ticket]
    assert accounts == ["Acme Corp", "Globex", "777"]  # 777 is not among the organizations
    # a minified page is one line: records are told apart by their number
    assert [(r.record, r.line) for r in records] == [(1, 1), (2, 1), (3, 1)]


def test_one_ticket_per_line_is_read_with_organization_names() -> None:
    records = parse_text(zendesk.parse, fixture("zendesk_export.ndjson").read_bytes())

    tickets = [r.ticket for r in records]
    assert [(r.record, r.line) for r in records] == [(None, 1), (None, 2)]
    assert [t.account for t in tickets if t] == ["Acme Corp", "Hooli"]
    assert tickets[0] is not None and tickets[0].solved_at == datetime(2023, 11, 6, 7, tzinfo=UTC)


def test_a_ticket_key_can_be_mapped_as_well_as_a_custom_field() -> None:
    text = document(zendesk_ticket(1, group_id=98738, type="incident"))

    ticket = parse_text(zendesk.parse, text, mapping={"component": "group_id", "status": "type"})[0]

    assert ticket.ticket is not None
    assert (ticket.ticket.component, ticket.ticket.status) == ("98738", "incident")


def test_concatenated_pages_are_read_one_after_the_other() -> None:
    text = document(zendesk_ticket(1)) + "\n" + document(zendesk_ticket(2))

    records = parse_text(zendesk.parse, text)

    assert [r.ticket.external_id for r in records if r.ticket] == ["1", "2"]
    assert [r.record for r in records] == [1, 2]


def test_search_results_keep_only_tickets() -> None:
    text = json.dumps(
        {"results": [{"result_type": "user", "id": 5, "name": "Ann"}, zendesk_ticket(7)]}
    )

    records = parse_text(zendesk.parse, text)

    assert [r.ticket.external_id for r in records if r.ticket] == ["7"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"id": MISSING}, "record 2 (line 11): id: is missing"),
        ({"id": [2]}, "record 2 (line 11): id: is a list, not text"),
        (
            {"subject": None, "raw_subject": None, "description": ""},
            "record 2 (line 11): subject: is missing, and so is the description",
        ),
        ({"created_at": MISSING}, "record 2 (line 11): created_at: is missing"),
        (
            {"created_at": "2024-02-30T10:00:00Z"},
            "record 2 (line 11): created_at: '2024-02-30T10:00:00Z' is not an ISO 8601 date",
        ),
        ({"tags": "vip"}, "record 2 (line 11): tags: is 'vip', not a list of text"),
        ({"priority": 3}, "record 2 (line 11): priority: is the number 3, not text"),
        ({"id": 1}, "record 2 (line 11): id: '1' is already used at record 1"),
    ],
)
def test_a_bad_ticket_names_its_record_line_and_field(
    overrides: dict[str, Any], expected: str
) -> None:
    text = document(zendesk_ticket(1), zendesk_ticket(2, **overrides))

    found = problems(zendesk.parse, text)

    assert len(found) == 1
    assert found[0].startswith(expected)


def test_a_bad_line_of_ndjson_is_named_by_its_line() -> None:
    text = json.dumps(zendesk_ticket(1)) + "\n" + json.dumps(zendesk_ticket(2, created_at="x"))

    assert problems(zendesk.parse, text)[0].startswith("line 2: created_at: 'x' is not")


def test_the_time_based_export_repeats_tickets_when_repeats_are_allowed() -> None:
    text = document(zendesk_ticket(1, status="open"), zendesk_ticket(1, status="solved"))

    records = parse_text(zendesk.parse, text, allow_repeats=True)

    assert [r.ticket.status for r in records if r.ticket] == ["open", "solved"]


def test_a_broken_document_fails_naming_line_and_column() -> None:
    text = document(zendesk_ticket(1), zendesk_ticket(2)).replace('"Subject 2",', '"Subject 2"')

    error = fatal(zendesk.parse, text)

    assert error.field == "line 14: file"
    assert error.problem.startswith("is not valid JSON at column 7 (Expecting ',' delimiter)")


def test_a_cut_off_document_fails_instead_of_importing_half() -> None:
    text = document(zendesk_ticket(1), zendesk_ticket(2))[:-40]

    error = fatal(zendesk.parse, text)

    assert "is not valid JSON" in error.problem


@pytest.mark.parametrize("text", ["", "  \n", '{"tickets": [], "count": 0}'])
def test_an_export_without_tickets_is_refused(text: str) -> None:
    error = fatal(zendesk.parse, text)

    assert error.field == "line 1: file"
    assert error.problem == "has no Zendesk records"


def test_a_csv_file_passed_as_zendesk_fails_at_line_1() -> None:
    error = fatal(zendesk.parse, fixture("freshdesk_tickets.csv").read_bytes())

    assert error.field == "line 1: file"
    assert error.problem.startswith("is not JSON")
    assert "--format csv" in error.fix


def test_a_jira_search_passed_as_zendesk_fails_at_line_1() -> None:
    error = fatal(zendesk.parse, fixture("jira_search.json").read_bytes())

    assert error.field == "line 1: file"
    assert error.problem.startswith("is not a Zendesk export (its first record is an object with")


def test_only_descriptive_fields_can_be_mapped() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_text(zendesk.parse, document(zendesk_ticket(1)), mapping={"subject": "raw_subject"})

    assert caught.value.field == "map"
    assert "zendesk reads subject from its own field" in caught.value.problem
