"""Jira's REST issue search answer (`/rest/api/2/search`, also v3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from escdesk.importers import jira_json
from tests.importers.builders import MISSING, fatal, fixture, parse_text, problems


def issue(n: int = 1, key: Any = None, **fields: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "summary": f"Summary {n}",
        "created": "2023-03-12T16:05:00.000+0000",
        "status": {"name": "Open"},
        "labels": [],
    }
    values.update(fields)
    body = {k: v for k, v in values.items() if v is not MISSING}
    return {"id": str(10000 + n), "key": f"SUP-{n}" if key is None else key, "fields": body}


def search(*issues: dict[str, Any]) -> str:
    return json.dumps({"startAt": 0, "maxResults": 50, "total": len(issues), "issues": issues})


def test_a_search_answer_parses_to_tickets_with_their_values() -> None:
    records = parse_text(
        jira_json.parse,
        fixture("jira_search.json").read_bytes(),
        source="jira",
        mapping={"account": "customfield_10050"},
    )

    assert [(r.record, r.line) for r in records] == [(1, 7), (2, 28), (3, 45)]
    first, second, third = (r.ticket for r in records)
    assert first is not None and second is not None and third is not None
    assert first.key == ("jira", "SUP-101")
    assert first.subject == "Webhooks are delivered twice"
    assert first.body == "Our endpoint receives the same event 3 times.\nIt answers 200 OK."
    assert first.created_at == datetime(2023, 3, 12, 16, 5, tzinfo=UTC)
    assert first.solved_at == datetime(2023, 3, 14, 9, 0, tzinfo=UTC)
    assert (first.status, first.priority, first.account) == ("Done", "High", "Acme Corp")
    assert (first.product_area, first.component) == ("Support Escalations", "Webhooks")
    assert first.tags == ("webhooks", "integrations", "component:API")
    # +0530 becomes UTC; null description, priority and custom field are simply absent
    assert second.created_at == datetime(2023, 3, 13, 5, 0, tzinfo=UTC)
    assert (second.body, second.account, second.component) == ("", None, None)
    assert (third.priority, third.component, third.tags) == (None, "Audit log", ("compliance",))


def test_a_v3_description_document_is_read_as_plain_text() -> None:
    description = {
        "type": "doc",
        "version": 1,
        "content": [
            {"type": "paragraph", "content": [{"type": "text", "text": "Login loops."}]},
            {"type": "paragraph", "content": [{"type": "text", "text": "Since 4.3."}]},
        ],
    }

    ticket = parse_text(jira_json.parse, search(issue(1, description=description)))[0].ticket

    assert ticket is not None and ticket.body == "Login loops.\nSince 4.3."


def test_a_bare_array_of_issues_also_reads() -> None:
    records = parse_text(jira_json.parse, json.dumps([issue(1), issue(2)]))

    assert [r.ticket.external_id for r in records if r.ticket] == ["SUP-1", "SUP-2"]


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (issue(2, key=""), "record 2 (line 1): key: is missing"),
        (
            issue(2, summary=MISSING),
            "record 2 (line 1): fields.summary: is empty, and so is the description",
        ),
        (issue(2, created=MISSING), "record 2 (line 1): fields.created: is missing"),
        (
            issue(2, created="12/Mar/23 4:05 PM"),
            "record 2 (line 1): fields.created: '12/Mar/23 4:05 PM' is not an ISO 8601 date",
        ),
        (
            issue(2, resolutiondate="2023-01-01T00:00:00.000+0000"),
            "record 2 (line 1): fields.resolutiondate: is before created_at",
        ),
        (issue(2, components="API"), "record 2 (line 1): fields.components: is 'API', not a list"),
        (issue(2, labels=[1]), "record 2 (line 1): fields.labels: is a list, not a list of text"),
        (issue(2, status=7), "record 2 (line 1): fields.status: is the number 7"),
        ({"key": "SUP-2"}, "record 2 (line 1): fields: is missing"),
        (issue(2, key="SUP-1"), "record 2 (line 1): key: 'SUP-1' is already used at record 1"),
    ],
)
def test_a_bad_issue_names_its_record_and_field(bad: dict[str, Any], expected: str) -> None:
    found = problems(jira_json.parse, search(issue(1), bad, issue(3)))

    assert len(found) == 1
    assert found[0].startswith(expected)


def test_a_zendesk_export_passed_as_jira_json_fails_at_line_1() -> None:
    error = fatal(jira_json.parse, fixture("zendesk_with_orgs.json").read_bytes())

    assert error.field == "line 1: file"
    assert error.problem.startswith("is not a Jira search export")


def test_a_csv_export_passed_as_jira_json_fails_at_line_1() -> None:
    error = fatal(jira_json.parse, fixture("jira_issues.csv").read_bytes())

    assert (error.field, error.problem.startswith("is not JSON")) == ("line 1: file", True)


def test_malformed_json_fails_naming_the_line() -> None:
    text = fixture("jira_search.json").read_text().replace('"key": "SUP-102",', '"key": SUP-102,')

    error = fatal(jira_json.parse, text)

    assert error.field == "line 31: file"
    assert "is not valid JSON at column 14" in error.problem


def test_an_empty_search_is_refused() -> None:
    assert fatal(jira_json.parse, search()).problem == "has no Jira search records"


def test_an_issue_with_an_empty_summary_takes_its_descriptions_first_line_and_says_so() -> None:
    records = parse_text(jira_json.parse, fixture("jira_search_empty_summary.json").read_bytes())

    first, second = (r.ticket for r in records)
    assert first is not None and second is not None
    assert first.subject == "Disk usage alarm on db-3 fired twice overnight."
    assert first.body.endswith("It cleared itself both times.")
    assert second.subject == "Backups run past the maintenance window"
    told = [str(n) for r in records for n in r.notices]
    assert told == [
        "record 1 (line 6): fields.summary: is empty: the first line of the description stands in"
    ]
