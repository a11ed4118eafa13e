"""Jira's CSV export: repeated Component/s and Labels columns, Jira dates."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from escdesk.importers import jira_csv
from tests.importers.builders import fatal, fixture, parse_text, problems

HEADER = (
    "Summary,Issue key,Issue id,Status,Created,Resolved,Component/s,Component/s,Labels,Labels\n"
)


def test_the_export_parses_to_tickets_with_their_values() -> None:
    records = parse_text(
        jira_csv.parse,
        fixture("jira_issues.csv").read_bytes(),
        source="jira",
        mapping={"account": "Custom field (Customer)"},
    )

    assert [r.line for r in records] == [2, 4, 5]
    first, second, third = (r.ticket for r in records)
    assert first is not None and second is not None and third is not None
    assert first.key == ("jira", "SUP-101")
    assert first.subject == "Webhooks are delivered twice"
    assert first.body == "Our endpoint receives the same event 3 times.\nIt answers 200 OK."
    assert first.created_at == datetime(2023, 3, 12, 16, 5, tzinfo=UTC)
    assert first.solved_at == datetime(2023, 3, 14, 9, 0, tzinfo=UTC)
    assert (first.status, first.priority, first.account) == ("Done", "High", "Acme Corp")
    assert first.product_area == "Support Escalations"
    # repeated columns: the first component, the others kept as tags beside every label
    assert first.component == "Webhooks"
    assert first.tags == ("webhooks", "integrations", "component:API")
    assert (second.component, second.tags, second.solved_at) == (
        "Dashboards",
        ("performance",),
        None,
    )
    # ISO dates with a +0100 offset also read
    assert third.created_at == datetime(2023, 3, 15, 7, 0, tzinfo=UTC)
    assert (third.priority, third.component, third.account) == (None, None, None)


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        ("12/Mar/23 4:05 PM", datetime(2023, 3, 12, 16, 5, tzinfo=UTC)),
        ("01/Dec/2023 11:59 AM", datetime(2023, 12, 1, 11, 59, tzinfo=UTC)),
        ("05/Jan/24 17:30", datetime(2024, 1, 5, 17, 30, tzinfo=UTC)),
        ("2024-01-05T17:30:00.000-0500", datetime(2024, 1, 5, 22, 30, tzinfo=UTC)),
    ],
)
def test_jira_date_layouts_are_read_as_utc(created: str, expected: datetime) -> None:
    text = HEADER + f"Login fails,SUP-1,1,Open,{created},,,,,\n"

    ticket = parse_text(jira_csv.parse, text)[0].ticket

    assert ticket is not None and ticket.created_at == expected


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (",SUP-2,2,Open,12/Mar/23 4:05 PM,,,,,", "line 3: Summary: is missing"),
        (
            "S,SUP-2,2,Open,32/Mar/23 4:05 PM,,,,,",
            "line 3: Created: '32/Mar/23 4:05 PM' is not a Jira date (12/Mar/23 4:05 PM) or "
            "ISO 8601. Write it as 12/Mar/23 4:05 PM or 2023-01-31T09:00:00Z",
        ),
        ("S,SUP-2,2,Open,12/Mar/23 4:05 PM,11/Mar/23 4:05 PM,,,,", "line 3: Resolved: is before"),
        ("S,SUP-1,1,Open,12/Mar/23 4:05 PM,,,,,", "line 3: Issue key: 'SUP-1' is already used"),
    ],
)
def test_a_bad_row_names_its_line_and_jira_column(row: str, expected: str) -> None:
    text = HEADER + "Fine,SUP-1,1,Open,12/Mar/23 4:05 PM,,,,,\n" + row + "\n"

    found = problems(jira_csv.parse, text)

    assert len(found) == 1
    assert found[0].startswith(expected)


def test_the_issue_id_stands_in_when_an_export_has_no_issue_key() -> None:
    text = "Summary,Issue id,Created\nLogin fails,10001,12/Mar/23 4:05 PM\n"

    ticket = parse_text(jira_csv.parse, text)[0].ticket

    assert ticket is not None and ticket.external_id == "10001"


def test_a_csv_without_summary_fails_at_line_1() -> None:
    error = fatal(jira_csv.parse, fixture("freshdesk_tickets.csv").read_bytes())

    assert error.field == "line 1: file"
    assert error.problem.startswith("has no column 'Issue key'")
    assert error.fix == "This looks like a freshdesk export: use --format freshdesk"
