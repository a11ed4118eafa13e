"""Records of a JSON export (Zendesk, Jira), numbered and located, with file-level errors.

Shared by the JSON formats so that broken JSON, an empty file, or a file of the wrong kind
reads the same in each: `line 1: file: is not a Zendesk export (…). Pick the --format …`.
Records inside an array are numbered (a minified export has them all on line 1); records one
per line (NDJSON) are located by their line alone.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from typing import Any

from escdesk.importers.base import file_error
from escdesk.importers.jsonstream import JsonStreamError, iter_json
from escdesk.importers.source import TextSource


@dataclass(frozen=True, slots=True)
class JsonRecord:
    key: str | None
    line: int
    number: int | None
    value: Any


def json_records(
    text: TextSource,
    *,
    kind: str,
    fmt: str,
    containers: Collection[str],
    looks_right: Callable[[Any], bool],
    side: Collection[str] = (),
) -> Iterator[JsonRecord]:
    """Every record; raises InvalidInput when the file is not (or stops being) this `kind`.

    `looks_right` checks the first top-level record, and the first record of any kind must not
    plainly belong to another format (`looks_like`), so a file of another format fails at
    line 1 instead of as a thousand bad tickets. Items of `side` containers (sideloaded
    organizations) are passed on but not numbered: numbers count tickets.
    """
    number = 0
    first = True
    try:
        for item in iter_json(text, containers):
            in_array = (item.key is not None or item.nested) and item.key not in side
            if first and item.key not in side:
                other = looks_like(item.value)
                if (other not in (None, fmt)) or (item.key is None and not looks_right(item.value)):
                    fix = "Pick the --format that matches the file"
                    if other not in (None, fmt):
                        fix = f"This looks like a {other} export: use --format {other}"
                    raise file_error(
                        item.line,
                        f"is not a {kind} export (its first record is {_keys_of(item.value)})",
                        fix,
                    )
                first = False
            if in_array:
                number += 1
            yield JsonRecord(item.key, item.line, number if in_array else None, item.value)
    except JsonStreamError as exc:
        if first and exc.line == 1 and exc.column == 1:
            raise file_error(
                1,
                f"is not JSON ({exc.message}); it looks like a CSV or text file",
                "Use --format csv, freshdesk or jira-csv for CSV exports",
            ) from exc
        raise file_error(
            exc.line,
            f"is not valid JSON at column {exc.column} ({exc.message})",
            "Export the file again; it may have been cut off or edited by hand",
        ) from exc
    if first:
        raise file_error(1, f"has no {kind} records", f"Export the {kind} tickets again")


def looks_like(value: Any) -> str | None:
    """The format a record plainly comes from, by the keys only that helpdesk writes."""
    if not isinstance(value, dict):
        return None
    if "key" in value and "fields" in value:
        return "jira-json"
    if value.keys() & {"helpdesk_ticket", "description_text", "fr_due_by", "display_id"}:
        return "freshdesk"
    url = value.get("url")
    if "raw_subject" in value or (isinstance(url, str) and ".zendesk.com/" in url):
        return "zendesk"
    if isinstance(value.get("ticket"), dict):
        return looks_like(value["ticket"])
    for key, owner in (("tickets", "zendesk"), ("issues", "jira-json")):
        records = value.get(key)
        if isinstance(records, list):  # a page read whole: its first record, or its key
            return (looks_like(records[0]) if records else None) or owner
    return None


def _keys_of(value: Any) -> str:
    if isinstance(value, dict):
        keys = ", ".join(list(value)[:6])
        return f"an object with {keys}" if keys else "an empty object"
    return type(value).__name__


def nested(value: Any, *path: str) -> Any:
    """`value[path[0]][path[1]]…`, or None where any step is missing or not an object."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def record_where(record: JsonRecord) -> str:
    """Where a record is, as an import's messages say it: `record 7 (line 1)` or `line 3`."""
    if record.number is None:
        return f"line {record.line}"
    return f"record {record.number} (line {record.line})"
