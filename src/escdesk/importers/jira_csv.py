"""`--format jira-csv`: Jira's issue search export "CSV (all fields)" or "(current fields)".

The issue key ("Issue key", else "Issue id") is the ticket id, so re-importing through
`jira-json` updates the same tickets. "Summary", "Description", "Created", "Resolved",
"Status", "Priority" and "Project name" (→ product_area) are read; Jira repeats "Component/s"
and "Labels" once per value: the first component becomes the ticket's component, further ones
are kept as `component:<name>` tags beside the labels. Dates are Jira's `12/Mar/23 4:05 PM`
(English month names, the exporting user's zone, read as UTC) or ISO 8601. Jira has no
customer field of its own: map yours with `--map account="Custom field (Customer)"`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TextIO

from escdesk.importers.base import DEFAULT_OPTIONS, ImportOptions, ParsedRecord, run
from escdesk.importers.dates import parse_jira_date
from escdesk.importers.tabular import CsvLayout

LAYOUT = CsvLayout(
    name="jira-csv",
    columns={
        "id": ("Issue key", "Issue id"),
        "subject": ("Summary",),
        "body": ("Description",),
        "created_at": ("Created",),
        "solved_at": ("Resolved",),
        "account": (),
        "product_area": ("Project name",),
        "component": ("Component/s", "Components"),
        "priority": ("Priority",),
        "status": ("Status",),
        "tags": ("Labels",),
    },
    read_date=parse_jira_date,
    multi=frozenset({"component", "tags"}),
)


def parse(
    stream: TextIO | BinaryIO, *, source: str = "jira", options: ImportOptions = DEFAULT_OPTIONS
) -> Iterator[ParsedRecord]:
    return run(stream, source, options, LAYOUT.records)
