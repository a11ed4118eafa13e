"""`--format jsonl`: escdesk's own format, one JSON object per line.

    {"id": "T-1", "subject": "SSO login loops", "created_at": "2024-03-01T09:00:00Z", ...}

`id`, `subject` and `created_at` are required; `body`, `account`, `product_area`, `component`,
`priority`, `status` are text or null; `solved_at` is ISO 8601 or null; `tags` a list of text.
How a ticket was answered, when known: `customer_messages` and `agent_replies` (whole numbers),
or else `first_contact` (true/false), and `satisfaction` ("good"/"bad" or a score 1–5).
Unknown keys are ignored, so a richer export still imports. Blank lines are skipped.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, BinaryIO, TextIO

from escdesk.domain.ticket import Ticket
from escdesk.domain.ticket_outcomes import first_contact_resolved, satisfaction
from escdesk.importers.base import (
    DEFAULT_OPTIONS,
    ImportOptions,
    InvalidRecord,
    Outcome,
    ParsedRecord,
    Reading,
    file_error,
    new_ticket,
    run,
)
from escdesk.importers.dates import parse_iso
from escdesk.importers.values import (
    FieldProblem,
    describe,
    optional_text,
    read_by_rule,
    required_text,
    text_list,
)

_DOCUMENT_KEYS = ("tickets", "issues", "results")


def parse(
    stream: TextIO | BinaryIO, *, source: str = "jsonl", options: ImportOptions = DEFAULT_OPTIONS
) -> Iterator[ParsedRecord]:
    return run(stream, source, options, _records)


def ticket_from(obj: dict[str, Any], source: str) -> Ticket:
    """One JSON object of escdesk's format as a Ticket (shared with the generator's tests)."""
    solved = obj.get("solved_at")
    return new_ticket(
        source,
        required_text(obj.get("id"), "id", 'Give every ticket an id, as "id": "T-1"'),
        required_text(obj.get("subject"), "subject", "Give every ticket a subject"),
        parse_iso(_required(obj, "created_at"), "created_at"),
        body=optional_text(obj.get("body"), "body") or "",
        account=optional_text(obj.get("account"), "account"),
        product_area=optional_text(obj.get("product_area"), "product_area"),
        component=optional_text(obj.get("component"), "component"),
        priority=optional_text(obj.get("priority"), "priority"),
        status=optional_text(obj.get("status"), "status"),
        solved_at=None if solved is None or solved == "" else parse_iso(solved, "solved_at"),
        tags=text_list(obj.get("tags"), "tags"),
        first_contact=first_contact_resolved(
            _count(obj, "customer_messages"),
            _count(obj, "agent_replies"),
            _flag(obj, "first_contact"),
        ),
        satisfied=_rating(obj.get("satisfaction")),
    )


def _count(obj: dict[str, Any], key: str) -> int | None:
    value = obj.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise FieldProblem(key, f"is {describe(value)}, not a count", "Give a whole number or null")
    return value


def _flag(obj: dict[str, Any], key: str) -> bool | None:
    value = obj.get(key)
    if value is None or isinstance(value, bool):
        return value
    raise FieldProblem(key, f"is {describe(value)}, not true or false", "Give true, false or null")


def _rating(value: object) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise FieldProblem(
            "satisfaction", f"is {describe(value)}", 'Give "good", "bad" or a score from 1 to 5'
        )
    return read_by_rule(satisfaction, str(value), "satisfaction")


def _required(obj: dict[str, Any], key: str) -> object:
    value = obj.get(key)
    if value is None or value == "":
        raise FieldProblem(key, "is missing", 'Give every ticket one, as "2024-03-01T09:00:00Z"')
    return value


def _records(reading: Reading) -> Iterator[Outcome]:
    text, source = reading.text, reading.source
    loads = json.loads
    first = True
    line = 0
    for line, raw in enumerate(text.lines(), start=1):
        if not raw.strip():
            continue
        try:
            obj = loads(raw)
        except RecursionError:
            yield line, None, _invalid(line, "nests deeper than any ticket export does")
            first = False
            continue
        except json.JSONDecodeError as exc:
            if first and _looks_foreign(raw):
                raise _wrong_format(line, raw) from exc
            yield line, None, _invalid(line, f"is not valid JSON at column {exc.colno} ({exc.msg})")
            first = False
            continue
        if first:
            _check_first(line, obj, raw)
            first = False
        if type(obj) is not dict:
            yield line, None, _invalid(line, f"is {describe(obj)}, not a JSON object")
            continue
        try:
            yield line, None, ticket_from(obj, source)
        except FieldProblem as problem:
            yield line, None, InvalidRecord(line, problem.field, problem.problem, problem.fix)
    if first:
        fix = "Export the tickets again: one JSON object per line"
        raise file_error(max(line, 1), "is empty", fix)


def _invalid(line: int, problem: str) -> InvalidRecord:
    return InvalidRecord(line, "record", problem, "Write one JSON object per line")


def _looks_foreign(raw: str) -> bool:
    """A first line that is not even the start of one ticket object."""
    start = raw.strip()
    if not start.startswith("{") or start == "{":
        return True
    return any(f'"{key}"' in start for key in _DOCUMENT_KEYS)


def _check_first(line: int, obj: object, raw: str) -> None:
    """Another format's first record is the wrong format, not a bad ticket."""
    if isinstance(obj, list) or (
        isinstance(obj, dict) and any(isinstance(obj.get(k), list) for k in _DOCUMENT_KEYS)
    ):
        raise _wrong_format(line, raw)
    other = _foreign_record(obj) if isinstance(obj, dict) else None
    if other:
        raise file_error(
            line,
            f"is not escdesk's jsonl: its first record looks like a {other} record",
            f"Use --format {other}",
        )


def _foreign_record(obj: dict[str, Any]) -> str | None:
    """The format a first record plainly belongs to, when it is not escdesk's own."""
    if "key" in obj and "fields" in obj:
        return "jira-json"
    if isinstance(obj.get("id"), int) and ("description" in obj or "raw_subject" in obj):
        return "zendesk"
    return None


def _wrong_format(line: int, raw: str) -> Exception:
    start = raw.strip()[:40]
    hint = "a CSV export: use --format csv (or freshdesk, jira-csv)"
    if start.startswith(("{", "[")):
        hint = "one JSON document: use --format zendesk or jira-json"
    return file_error(
        line,
        f"is not JSON Lines (it starts with {start!r}), it looks like {hint}",
        "Pick the --format that matches the file",
    )
