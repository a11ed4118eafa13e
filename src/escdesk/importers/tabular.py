"""The CSV reader shared by `csv`, `freshdesk` and `jira-csv`: only their column layouts differ.

Columns are found by name, ignoring case and surrounding spaces, so a re-saved spreadsheet
still imports. A ticket field may list several candidate columns: the first non-empty cell
wins, row by row (Freshdesk: "Resolved time", else "Closed time"). Jira repeats a column for
each component and label; `multi` fields read every one of them.
"""

from __future__ import annotations

import _csv
import csv
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from escdesk.domain.ticket import Ticket
from escdesk.importers.base import (
    TICKET_FIELDS,
    ImportOptions,
    InvalidRecord,
    Outcome,
    Reading,
    file_error,
    new_ticket,
)
from escdesk.importers.dates import DateReader
from escdesk.importers.values import FieldProblem, split_tags

# Helpdesk descriptions exceed csv's default 128 KiB cell limit; a cell still cannot grow past
# 64 MiB, so an unclosed quote fails instead of swallowing the whole file.
csv.field_size_limit(min(sys.maxsize, 64 << 20))

REQUIRED = ("id", "subject", "created_at")
SIGNATURES = {
    "freshdesk": {"ticket id", "subject", "created time"},
    "jira-csv": {"summary", "issue key", "created"},
    "csv": {"id", "subject", "created_at"},
}
"""Columns that tell one CSV export from another, to name the right --format."""


@dataclass(frozen=True)
class CsvLayout:
    """Where a helpdesk's CSV export keeps each ticket field."""

    name: str
    columns: Mapping[str, Sequence[str]]
    read_date: DateReader
    multi: frozenset[str] = field(default_factory=frozenset)

    def records(self, reading: Reading) -> Iterator[Outcome]:
        return csv_records(reading, self)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


class _Columns:
    """The header of one file, resolved against a layout and the user's --map."""

    def __init__(self, header: list[str], layout: CsvLayout, options: ImportOptions) -> None:
        self.width = len(header)
        self.header = header
        positions: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            positions.setdefault(_key(name), []).append(index)
        self.at: dict[str, list[int]] = {}
        self.labels: dict[str, str] = {}
        for ticket_field in TICKET_FIELDS:
            candidates = layout.columns.get(ticket_field, ())
            if ticket_field in options.mapping:
                mapped = options.mapping[ticket_field]
                candidates = [mapped] if mapped else []
                for name in candidates:
                    if _key(name) not in positions:
                        raise self._missing(name, ticket_field, layout, mapped=True)
            found = [i for name in candidates for i in positions.get(_key(name), [])]
            if found:
                self.at[ticket_field] = found
                self.labels[ticket_field] = header[found[0]].strip()
        for ticket_field in REQUIRED:
            if ticket_field not in self.at:
                wanted = layout.columns[ticket_field][0]
                raise self._missing(wanted, ticket_field, layout, mapped=False)

    def _missing(
        self, name: str, ticket_field: str, layout: CsvLayout, *, mapped: bool
    ) -> Exception:
        shown = ", ".join(repr(h.strip()) for h in self.header[:12])
        more = ", …" if len(self.header) > 12 else ""
        if self.header and self.header[0].lstrip().startswith(("{", "[")):
            return file_error(
                1,
                "is JSON, not CSV: use --format jsonl, zendesk or jira-json",
                "Pick the --format that matches the file",
            )
        problem = f"has no column {name!r} (its columns are {shown}{more})"
        fix = f"Map the column that holds {ticket_field}: --map {ticket_field}=<column>"
        keys = {_key(h) for h in self.header}
        other = next((f for f, cols in SIGNATURES.items() if cols <= keys), layout.name)
        if mapped:
            fix = f"Check --map {ticket_field}={name!r} against the file's first line"
        elif other != layout.name:
            fix = f"This looks like a {other} export: use --format {other}"
        elif layout.name != "csv":
            fix += f", or check that this is a {layout.name} export"
        return file_error(1, problem, fix)

    def cell(self, row: list[str], ticket_field: str) -> str | None:
        for index in self.at.get(ticket_field, ()):
            value = row[index].strip()
            if value:
                return value
        return None

    def cells(self, row: list[str], ticket_field: str) -> list[str]:
        return [row[i].strip() for i in self.at.get(ticket_field, ()) if row[i].strip()]


def _delimited(lines: Iterator[str]) -> _csv.Reader:
    """Rows, split on what the first line uses most: commas, or the semicolons and tabs that
    spreadsheets write in locales where the comma is the decimal mark."""
    first = next(lines, "")
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    return csv.reader(chain([first], lines), delimiter=delimiter)


def csv_records(reading: Reading, layout: CsvLayout) -> Iterator[Outcome]:
    source = reading.source
    reader = _delimited(reading.text.lines())
    try:
        header = next(reader, None)
        while header is not None and not any(name.strip() for name in header):
            header = next(reader, None)
        if header is None:
            raise file_error(1, "is empty", f"Export the tickets again as {layout.name} CSV")
        columns = _Columns(header, layout, reading.options)
        reading.id_label = columns.labels["id"]
        line = reader.line_num
        count = 0
        for row in reader:
            start, line = line + 1, reader.line_num
            if not any(value.strip() for value in row):
                continue
            count += 1
            if len(row) != columns.width:
                problem = f"has {len(row)} values but the header has {columns.width} columns"
                fix = "Quote values that contain commas or line breaks"
                yield start, None, InvalidRecord(start, "record", problem, fix)
                continue
            try:
                yield start, None, _ticket(row, columns, layout, source)
            except FieldProblem as bad:
                yield start, None, InvalidRecord(start, bad.field, bad.problem, bad.fix)
    except csv.Error as exc:
        raise file_error(reader.line_num, f"is not valid CSV ({exc})", "Export it again") from exc
    if count == 0:
        raise file_error(line + 1, "has a header but no tickets", "Export the tickets again")


def _ticket(row: list[str], columns: _Columns, layout: CsvLayout, source: str) -> Ticket:
    label = columns.labels
    created = columns.cell(row, "created_at")
    if created is None:
        raise FieldProblem(label["created_at"], "is missing", "Give every ticket its creation date")
    solved = columns.cell(row, "solved_at")
    tags: list[str] = []
    component = columns.cell(row, "component")
    if "component" in layout.multi:
        components = columns.cells(row, "component")
        component = components[0] if components else None
        tags.extend(f"component:{name}" for name in components[1:])
    if "tags" in layout.multi:
        tags[:0] = columns.cells(row, "tags")
    else:
        tags[:0] = split_tags(columns.cell(row, "tags") or "")
    return new_ticket(
        source,
        _required(columns.cell(row, "id"), label["id"], "Give every ticket its helpdesk id"),
        _required(columns.cell(row, "subject"), label["subject"], "Give every ticket a subject"),
        layout.read_date(created, label["created_at"]),
        body=columns.cell(row, "body") or "",
        account=columns.cell(row, "account"),
        product_area=columns.cell(row, "product_area"),
        component=component,
        priority=columns.cell(row, "priority"),
        status=columns.cell(row, "status"),
        solved_at=None if solved is None else layout.read_date(solved, label["solved_at"]),
        tags=tuple(tags),
        labels=label,
    )


def _required(value: str | None, label: str, fix: str) -> str:
    if value is None:
        raise FieldProblem(label, "is missing", fix)
    return value
