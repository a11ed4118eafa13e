"""The CSV reader shared by `csv`, `freshdesk` and `jira-csv`: only their column layouts differ.

Columns are found by name, ignoring case and surrounding spaces, so a re-saved spreadsheet
still imports. A ticket field may list several candidate columns: the first non-empty cell
wins, row by row (Freshdesk: "Resolved time", else "Closed time"). Jira repeats a column for
each component and label; `multi` fields read every one of them.
"""

from __future__ import annotations

import _csv
import csv
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import TypeVar

from escdesk.domain.ticket import Ticket
from escdesk.domain.ticket_outcomes import count, first_contact_resolved, satisfaction, yes_or_no
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
from escdesk.importers.rowids import IdMaker, row_ids
from escdesk.importers.values import FieldProblem, read_by_rule, split_tags

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
_SEPARATORS = re.compile(r"[\s_.-]+")
_T = TypeVar("_T")


@dataclass(frozen=True)
class CsvLayout:
    """Where a helpdesk's CSV export keeps each ticket field.

    A `generic` layout (`--format csv`) knows the names many trackers use and says which
    column became which field; a sheet without an id column gets ids made for it (`rowids`).
    """

    name: str
    columns: Mapping[str, Sequence[str]]
    read_date: DateReader
    multi: frozenset[str] = field(default_factory=frozenset)
    generic: bool = False

    def records(self, reading: Reading) -> Iterator[Outcome]:
        return csv_records(reading, self)


def _key(name: str) -> str:
    """A column name as compared: `Ticket ID`, `ticket_id` and ` ticket-id ` are one name."""
    return _SEPARATORS.sub(" ", name).strip().casefold()


class _Columns:
    """The header of one file, resolved against a layout and the user's --map."""

    def __init__(self, header: list[str], layout: CsvLayout, options: ImportOptions) -> None:
        self.width = len(header)
        self.header = header
        self.layout = layout
        positions: dict[str, list[int]] = {}
        for index, name in enumerate(header):
            positions.setdefault(_key(name), []).append(index)
        self.at: dict[str, list[int]] = {}
        self.labels: dict[str, str] = {}
        self.mapped = set(options.mapping)
        for ticket_field in TICKET_FIELDS:
            candidates = layout.columns.get(ticket_field, ())
            if ticket_field in options.mapping:
                mapped = options.mapping[ticket_field]
                candidates = [mapped] if mapped else []
                for name in candidates:
                    if _key(name) not in positions:
                        raise self._missing([ticket_field], mapped=name)
            found = [i for name in candidates for i in positions.get(_key(name), [])]
            if found:
                self.at[ticket_field] = found
                self.labels[ticket_field] = header[found[0]].strip()
        required = REQUIRED[1:] if layout.generic else REQUIRED
        missing = [f for f in required if f not in self.at]
        if missing:
            raise self._missing(missing, mapped=None)

    def _missing(self, fields: list[str], *, mapped: str | None) -> Exception:
        shown = ", ".join(repr(h.strip()) for h in self.header[:12])
        more = ", …" if len(self.header) > 12 else ""
        layout = self.layout
        if self.header and self.header[0].lstrip().startswith(("{", "[")):
            return file_error(
                1,
                "is JSON, not CSV: use --format jsonl, zendesk, freshdesk or jira-json",
                "Pick the --format that matches the file",
            )
        ticket_field = fields[0]
        if mapped is not None:
            problem = f"has no column {mapped!r} (its columns are {shown}{more})"
            return file_error(
                1, problem, f"Check --map {ticket_field}={mapped!r} against the file's first line"
            )
        if layout.generic:
            known = ", ".join(repr(c) for c in layout.columns[ticket_field][:6])
            problem = (
                f"has no column for {ticket_field} (such as {known}; its columns are {shown}{more})"
            )
        else:
            problem = (
                f"has no column {layout.columns[ticket_field][0]!r} (its columns are {shown}{more})"
            )
        other = self.looks_like()
        if other != layout.name:
            return file_error(1, problem, f"This looks like a {other} export: use --format {other}")
        if not layout.generic:
            fields = fields[:1]
        elif "id" not in self.at and self._suggestion("id"):
            fields = ["id", *fields]  # the id is optional, but a column that looks like it helps
        maps = [f"--map {f}={self._suggestion(f) or '<column>'}" for f in fields]
        named = fields[0] if len(fields) == 1 else f"{', '.join(fields[:-1])} and {fields[-1]}"
        fix = f"Map the column that holds {named}: {' '.join(maps)}"
        if layout.name != "csv":
            fix += f", or check that this is a {layout.name} export"
        return file_error(1, problem, fix)

    def looks_like(self) -> str:
        """The format whose export has these columns (this layout's own when none does)."""
        keys = {_key(h) for h in self.header}
        found = (f for f, cols in SIGNATURES.items() if {_key(c) for c in cols} <= keys)
        return next(found, self.layout.name)

    def _suggestion(self, ticket_field: str) -> str | None:
        """A column whose name holds one this field is known by (`bug_id_x`, `summary1`)."""
        names = [_key(n) for n in self.layout.columns.get(ticket_field, ())]
        for header in self.header:
            key = _key(header)
            for name in names:
                rest = key[len(name) :] if key.startswith(name) else ""
                if rest[:1].isspace() or rest[:1].isdigit() or key.endswith(" " + name):
                    return _quoted(header.strip())
        return None

    def describe(self) -> str:
        """Which column became which field, and which were not read (for a generic sheet)."""
        used = {i for found in self.at.values() for i in found}
        read = ", ".join(f"{self.labels[f]!r} → {f}" for f in TICKET_FIELDS if f in self.labels)
        unread = [repr(h.strip()) for i, h in enumerate(self.header) if i not in used]
        text = f"read {read}"
        if unread:
            text += f"; not read: {', '.join(unread[:12])}{', …' if len(unread) > 12 else ''}"
        return text

    def cell(self, row: list[str], ticket_field: str) -> str | None:
        for index in self.at.get(ticket_field, ()):
            value = row[index].strip()
            if value:
                return value
        return None

    def cells(self, row: list[str], ticket_field: str) -> list[str]:
        return [row[i].strip() for i in self.at.get(ticket_field, ()) if row[i].strip()]


def _quoted(name: str) -> str:
    return f'"{name}"' if any(c in name for c in " '\"") else name


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
        make_id = _announce(reading, columns)
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
                made = None if make_id is None else make_id(row, columns, count)
                yield start, None, _ticket(row, columns, layout, source, made)
            except FieldProblem as bad:
                yield start, None, InvalidRecord(start, bad.field, bad.problem, bad.fix)
    except csv.Error as exc:
        raise file_error(reader.line_num, f"is not valid CSV ({exc})", "Export it again") from exc
    if count == 0:
        raise file_error(line + 1, "has a header but no tickets", "Export the tickets again")


def _announce(reading: Reading, columns: _Columns) -> IdMaker | None:
    """Tell what a generic sheet's columns became, and how ids are made when it has none."""
    labels = columns.labels
    if columns.layout.generic and any(
        _key(label) != _key(f) and f not in columns.mapped for f, label in labels.items()
    ):
        reading.notice("columns", columns.describe())
        other = columns.looks_like()
        if other != "csv":
            reading.notice("format", f"this looks like a {other} export: --format {other} "
                           "reads every column it has")  # fmt: skip
    if "id" in labels:
        reading.id_label = labels["id"]
        return None
    make_id, told = row_ids(reading.options.row_ids, reading.source)
    reading.notice("id", told)
    if reading.options.row_ids == "content":
        reading.made_ids = "the file has no id column: ids are made from each row's content"
    return make_id


def _ticket(
    row: list[str], columns: _Columns, layout: CsvLayout, source: str, made_id: str | None
) -> Ticket:
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
        made_id or _required(columns.cell(row, "id"), label["id"], "Give every ticket its id"),
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
        first_contact=_first_contact(row, columns),
        satisfied=_read(row, columns, "satisfaction", satisfaction),
        labels=label,
    )


def _first_contact(row: list[str], columns: _Columns) -> bool | None:
    """Znuny's rule from the message counts when the sheet has both, else its own flag."""
    return first_contact_resolved(
        _read(row, columns, "customer_messages", count),
        _read(row, columns, "agent_replies", count),
        _read(row, columns, "first_contact", yes_or_no),
    )


def _read(
    row: list[str], columns: _Columns, ticket_field: str, read: Callable[[str, str], _T]
) -> _T | None:
    """An optional cell read by a domain rule; its refusal names the file's column."""
    cell = columns.cell(row, ticket_field)
    if cell is None:
        return None
    return read_by_rule(read, cell, columns.labels[ticket_field])


def _required(value: str | None, label: str, fix: str) -> str:
    if value is None:
        raise FieldProblem(label, "is missing", fix)
    return value
