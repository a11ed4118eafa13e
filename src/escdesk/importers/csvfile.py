"""`--format csv`: any spreadsheet of tickets, its columns named or mapped with `--map`.

By default the columns carry the jsonl field names (`id`, `subject`, `created_at`, …); a file
with other headers maps them: `--map subject=Title --map created_at="Created On"`. Dates may be
ISO 8601, `YYYY-MM-DD HH:MM:SS` or day-first `DD/MM/YYYY HH:MM`; tags are split on `,` or `;`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO, TextIO

from escdesk.importers.base import (
    DEFAULT_OPTIONS,
    TICKET_FIELDS,
    ImportOptions,
    ParsedRecord,
    run,
)
from escdesk.importers.dates import parse_csv_date
from escdesk.importers.tabular import CsvLayout

LAYOUT = CsvLayout(
    name="csv",
    columns={name: (name,) for name in TICKET_FIELDS},
    read_date=parse_csv_date,
)


def parse(
    stream: TextIO | BinaryIO, *, source: str = "csv", options: ImportOptions = DEFAULT_OPTIONS
) -> Iterator[ParsedRecord]:
    return run(stream, source, options, LAYOUT.records)
