"""`--format csv`: a spreadsheet of tickets from any tracker, its columns recognised or mapped.

Columns are found under the names trackers commonly give them (Bugzilla's `bug_id`,
`short_desc`, `creation_ts`; Jira's `Issue key`, `Summary`, `Created`; ServiceNow's `Number`,
`Short description`, `Opened`; `Ticket ID`, `Title`, `Subject`…, in `COLUMNS` order), and the
import says which column became which field. `--map subject=Title --map created_at="Created On"`
names any other. A sheet without an id column gets ids made for it (see `rowids`). Dates may
be ISO 8601, `YYYY-MM-DD HH:MM:SS`, day-first `DD/MM/YYYY HH:MM` or Jira's `12/Mar/23 4:05 PM`;
tags are split on `,` or `;`. Columns of message counts ("Customer interactions", "Agent
interactions"), a first-contact flag ("FCR") and a satisfaction rating ("CSAT": good/bad, 1–5,
yes/no) feed the first-contact and CSAT figures (see `escdesk.domain.ticket_outcomes`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TextIO

from escdesk.importers.base import DEFAULT_OPTIONS, ImportOptions, ParsedRecord, run
from escdesk.importers.dates import parse_any_date
from escdesk.importers.tabular import CsvLayout

COLUMNS: dict[str, tuple[str, ...]] = {
    "id": (
        "id", "ticket id", "ticket number", "ticket no", "issue key", "key", "issue id",
        "issue number", "bug id", "bug", "number", "incident number", "incident id",
        "case number", "case id", "request id", "display id",
    ),
    "subject": (
        "subject", "summary", "title", "short desc", "short description", "headline",
        "issue summary",
    ),
    "body": (
        "body", "description", "long desc", "details", "text", "content", "message",
        "problem description",
    ),
    "created_at": (
        "created at", "created", "creation ts", "creation date", "created time",
        "created date", "created on", "date created", "opened", "opened at", "opened on",
        "open date", "date opened", "submitted", "submitted at", "submit date", "reported",
        "reported at", "date reported", "date",
    ),
    "solved_at": (
        "solved at", "solved", "resolved", "resolved at", "resolved time", "resolved date",
        "resolved on", "resolution date", "resolutiondate", "date resolved", "closed",
        "closed at", "closed time", "closed date", "closed on", "date closed",
    ),
    "account": (
        "account", "account name", "customer", "customer name", "company", "company name",
        "organization", "organisation", "organization name", "client", "tenant",
    ),
    "product_area": (
        "product area", "product", "product name", "project", "project name", "area",
        "category", "service",
    ),
    "component": (
        "component", "component/s", "components", "subcategory", "sub category", "module",
        "assignment group", "group", "team", "queue",
    ),
    "priority": ("priority", "urgency", "importance", "severity", "bug severity"),
    "status": ("status", "state", "bug status", "ticket status"),
    "tags": ("tags", "labels", "keywords", "tag", "label"),
    "customer_messages": (
        "customer messages", "customer interactions", "customer replies", "requester replies",
    ),
    "agent_replies": ("agent replies", "agent interactions", "replies", "agent responses"),
    "first_contact": (
        "first contact", "first contact resolution", "first contact resolved", "fcr",
        "one touch", "resolved on first contact",
    ),
    "satisfaction": (
        "satisfaction", "satisfaction rating", "satisfaction score", "csat", "csat score",
        "survey result", "survey results", "rating",
    ),
}  # fmt: skip

LAYOUT = CsvLayout(name="csv", columns=COLUMNS, read_date=parse_any_date, generic=True)


def parse(
    stream: TextIO | BinaryIO, *, source: str = "csv", options: ImportOptions = DEFAULT_OPTIONS
) -> Iterator[ParsedRecord]:
    return run(stream, source, options, LAYOUT.records)
