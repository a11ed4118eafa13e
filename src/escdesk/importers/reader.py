"""Importing a file: stop at the first bad record, or skip them and say which (R-OPS-4).

    with open_import(path, "zendesk", skip_invalid=True) as run:
        for ticket in run:            # one ticket at a time, inside the caller's transaction
            ...
            progress.update(run.report.bytes_read, total=run.report.total_bytes)
    run.report.skipped                # every record left out, with line, field and fix

`read_tickets` does the same and returns the tickets as a list, for small files and tests.
Without `skip_invalid` the first bad record raises `InvalidInput` whose field reads
`line 17: created_at`, and a caller that wrote nothing yet has nothing to undo.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, TextIO

from escdesk.domain.ticket import Ticket
from escdesk.importers.base import ImportOptions, InvalidRecord, ParsedRecord
from escdesk.importers.formats import get_format
from escdesk.importers.notices import CountedNotice, Notices
from escdesk.importers.source import open_export


@dataclass
class ImportReport:
    """What an import read: counts for the summary line, skipped records for the report."""

    format: str
    source: str
    tickets: int = 0
    skipped: list[InvalidRecord] = field(default_factory=list)
    bytes_read: int = 0
    total_bytes: int | None = None
    notices: Notices = field(default_factory=Notices)

    @property
    def told(self) -> list[CountedNotice]:
        """What the reader decided without refusing anything (see `base.Notice`)."""
        return self.notices.counted()


class TicketImport:
    """An import under way: iterate it for tickets; `report` is current after each one."""

    def __init__(
        self, records: Iterator[ParsedRecord], report: ImportReport, *, skip_invalid: bool
    ) -> None:
        self._records = records
        self._skip_invalid = skip_invalid
        self.report = report

    def __iter__(self) -> Iterator[Ticket]:
        report = self.report
        for record in self._records:
            report.bytes_read = record.bytes_read
            if record.notices:
                report.notices.add(record.notices)
            outcome = record.outcome
            if isinstance(outcome, InvalidRecord):
                if not self._skip_invalid:
                    raise outcome.to_error()
                report.skipped.append(outcome)
                continue
            report.tickets += 1
            yield outcome


@dataclass(frozen=True)
class ImportResult:
    tickets: list[Ticket]
    report: ImportReport


def import_stream(
    stream: TextIO | BinaryIO,
    fmt: str,
    *,
    source: str | None = None,
    skip_invalid: bool = False,
    mapping: Mapping[str, str] | None = None,
    allow_repeats: bool = False,
    total_bytes: int | None = None,
) -> TicketImport:
    """An import of an open stream (standard input, an upload); the caller closes it."""
    chosen = get_format(fmt)
    options = ImportOptions(
        mapping=dict(mapping or {}),
        allow_repeats=allow_repeats,
        row_ids="content" if source is None else "position",
    )
    name = chosen.default_source if source is None else source
    records = chosen.parse(stream, source=name, options=options)
    report = ImportReport(format=fmt, source=name, total_bytes=total_bytes)
    return TicketImport(records, report, skip_invalid=skip_invalid)


@contextmanager
def open_import(
    path: str | os.PathLike[str],
    fmt: str,
    *,
    source: str | None = None,
    skip_invalid: bool = False,
    mapping: Mapping[str, str] | None = None,
    allow_repeats: bool = False,
) -> Iterator[TicketImport]:
    """An import of the file at `path`, open while the `with` block runs."""
    get_format(fmt)  # an unknown format is reported before a missing file
    file = Path(path)
    stream = open_export(file)
    with stream:
        yield import_stream(
            stream,
            fmt,
            source=source,
            skip_invalid=skip_invalid,
            mapping=mapping,
            allow_repeats=allow_repeats,
            total_bytes=file.stat().st_size,
        )


def read_tickets(
    path: str | os.PathLike[str],
    fmt: str,
    *,
    source: str | None = None,
    skip_invalid: bool = False,
    mapping: Mapping[str, str] | None = None,
    allow_repeats: bool = False,
) -> ImportResult:
    """All tickets of a file in a list; for files that fit in memory."""
    with open_import(
        path,
        fmt,
        source=source,
        skip_invalid=skip_invalid,
        mapping=mapping,
        allow_repeats=allow_repeats,
    ) as run:
        tickets = list(run)
    return ImportResult(tickets, run.report)
