"""`--format freshdesk`: Freshdesk's ticket CSV export (Tickets › Export) or its API's JSON.

Which one a file is, is told by its first character: `[` or `{` is the API's JSON (see
`freshdesk_json`), anything else the CSV export. CSV columns read: "Ticket ID", "Subject",
"Description", "Status", "Priority", "Created time", "Resolved time" (else "Closed time"),
"Company Name", "Product" (→ product_area), "Group" (→ component: the team a ticket was routed
to is the closest thing Freshdesk has), "Tags" (comma-separated), and "Customer interactions"
and "Agent interactions" (first-contact resolution: at most one of each) and "Survey result"
(the customer's satisfaction: Happy, Neutral, Unhappy…). Any of them can be
re-pointed with `--map`, or switched off with `--map component=`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TextIO

from escdesk.importers import freshdesk_json
from escdesk.importers.base import (
    DEFAULT_OPTIONS,
    ImportOptions,
    Outcome,
    ParsedRecord,
    Reading,
    run,
)
from escdesk.importers.dates import parse_csv_date
from escdesk.importers.tabular import CsvLayout

LAYOUT = CsvLayout(
    name="freshdesk",
    columns={
        "id": ("Ticket ID",),
        "subject": ("Subject",),
        "body": ("Description",),
        "created_at": ("Created time",),
        "solved_at": ("Resolved time", "Closed time"),
        "account": ("Company Name", "Company"),
        "product_area": ("Product",),
        "component": ("Group",),
        "priority": ("Priority",),
        "status": ("Status",),
        "tags": ("Tags",),
        "customer_messages": ("Customer interactions",),
        "agent_replies": ("Agent interactions",),
        "satisfaction": ("Survey result", "Satisfaction rating"),
    },
    read_date=parse_csv_date,
)


def parse(
    stream: TextIO | BinaryIO,
    *,
    source: str = "freshdesk",
    options: ImportOptions = DEFAULT_OPTIONS,
) -> Iterator[ParsedRecord]:
    return run(stream, source, options, _records)


def _records(reading: Reading) -> Iterator[Outcome]:
    if reading.text.peek() in ("[", "{"):
        return freshdesk_json.records(reading)
    return LAYOUT.records(reading)
