"""`--format jira-json`: the answer of Jira's issue search, `/rest/api/2/search` (or v3).

    {"issues": [{"key": "SUP-12", "fields": {"summary": …, "description": …, "created": …,
      "resolutiondate": …, "status": {"name": …}, "priority": {"name": …},
      "components": [{"name": …}], "labels": [...], "project": {"name": …}}}]}

Pages may be concatenated, and a bare array of issues or one issue per line also reads. The
issue key is the ticket id (as in `jira-csv`), the project name its product area, the first
component its component (further ones become `component:<name>` tags beside the labels).
An issue with an empty summary takes the first line of its description, and the import says so.
A v3 description (Atlassian Document Format) is read as its plain text. Jira has no customer
field of its own: `--map account=customfield_10050` names yours.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, TextIO

from escdesk.domain.ticket import Ticket
from escdesk.importers.base import (
    DEFAULT_OPTIONS,
    ImportOptions,
    InvalidRecord,
    Outcome,
    ParsedRecord,
    Reading,
    check_mapping,
    new_ticket,
    run,
)
from escdesk.importers.dates import parse_iso
from escdesk.importers.documents import json_records, nested, record_where
from escdesk.importers.values import (
    FieldProblem,
    describe,
    first_line,
    loose_text,
    optional_text,
    required_text,
    text_list,
)

MAPPABLE = ("account", "product_area", "component", "priority", "status")
LABELS = {"id": "key", "subject": "fields.summary", "solved_at": "fields.resolutiondate"}
SUMMARY_STANDS_IN = "is empty: the first line of the description stands in"


def parse(
    stream: TextIO | BinaryIO, *, source: str = "jira", options: ImportOptions = DEFAULT_OPTIONS
) -> Iterator[ParsedRecord]:
    return run(stream, source, options, _records)


def _records(reading: Reading) -> Iterator[Outcome]:
    text, source, options = reading.text, reading.source, reading.options
    reading.id_label = "key"
    check_mapping(options, "jira-json", MAPPABLE)
    for record in json_records(
        text, kind="Jira search", fmt="jira-json", containers=("issues",), looks_right=_is_issue
    ):
        try:
            outcome: Ticket | InvalidRecord = _ticket(record.value, source, options.mapping)
        except FieldProblem as bad:
            outcome = InvalidRecord(record.line, bad.field, bad.problem, bad.fix, record.number)
        else:
            if _summary_missing(record.value):
                reading.notice("fields.summary", SUMMARY_STANDS_IN, record_where(record))
        yield record.line, record.number, outcome


def _is_issue(value: Any) -> bool:
    return isinstance(value, dict) and ("key" in value or "fields" in value)


def _ticket(issue: Any, source: str, mapping: Mapping[str, str]) -> Ticket:
    if not isinstance(issue, dict):
        raise FieldProblem("record", f"is {describe(issue)}, not an issue", "Export it again")
    fields = issue.get("fields")
    if not isinstance(fields, dict):
        raise FieldProblem("fields", "is missing", "Search with fields=*navigable (the default)")
    created = fields.get("created")
    if not created:
        raise FieldProblem("fields.created", "is missing", "Search with the created field")
    solved = fields.get("resolutiondate")
    components = _components(fields.get("components"))
    body = _plain_text(fields.get("description"))
    return new_ticket(
        source,
        required_text(issue.get("key"), "key", "Give every issue its key, as SUP-12"),
        _summary(fields, body),
        parse_iso(created, "fields.created"),
        body=body,
        account=_mapped(fields, mapping, "account"),
        product_area=_mapped(fields, mapping, "product_area") or _name(fields, "project"),
        component=_mapped(fields, mapping, "component") or (components[0] if components else None),
        priority=_mapped(fields, mapping, "priority") or _name(fields, "priority"),
        status=_mapped(fields, mapping, "status") or _name(fields, "status"),
        solved_at=parse_iso(solved, "fields.resolutiondate") if solved else None,
        tags=text_list(fields.get("labels"), "fields.labels")
        + tuple(f"component:{name}" for name in components[1:]),
        labels=LABELS,
    )


def _summary(fields: dict[str, Any], body: str) -> str:
    """An issue created by a tool may have an empty summary: its description's first line
    stands in (and the import says so), rather than the whole file being refused."""
    summary = optional_text(fields.get("summary"), "fields.summary")
    if summary:
        return summary
    if not body.strip():
        raise FieldProblem(
            "fields.summary", "is empty, and so is the description", "Give the issue a summary"
        )
    return first_line(body)


def _summary_missing(issue: Any) -> bool:
    summary = nested(issue, "fields", "summary")
    return not (isinstance(summary, str) and summary.strip())


def _name(fields: dict[str, Any], key: str) -> str | None:
    """`status`, `priority`, `project`: an object with a name, or null."""
    value = fields.get(key)
    if value is None or isinstance(value, str):
        return optional_text(value, f"fields.{key}")
    if not isinstance(value, dict):
        raise FieldProblem(f"fields.{key}", f"is {describe(value)}", 'Write it as {"name": …}')
    return optional_text(value.get("name"), f"fields.{key}.name")


def _components(value: Any) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise FieldProblem("fields.components", f"is {describe(value)}, not a list", "Export again")
    names = (loose_text(item) for item in value)
    return [name for name in names if name]


def _mapped(fields: dict[str, Any], mapping: Mapping[str, str], field: str) -> str | None:
    key = mapping.get(field)
    return loose_text(nested(fields, *key.split("."))) if key else None


def _plain_text(value: Any) -> str:
    """v2 gives the description as text (wiki markup); v3 as a document tree."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    parts: list[str] = []
    _collect_text(value, parts)
    return "".join(parts).strip()


def _collect_text(node: Any, parts: list[str]) -> None:
    if isinstance(node, list):
        for child in node:
            _collect_text(child, parts)
    elif isinstance(node, dict):
        if isinstance(node.get("text"), str):
            parts.append(node["text"])
        _collect_text(node.get("content"), parts)
        if node.get("type") in ("paragraph", "heading", "listItem", "codeBlock", "hardBreak"):
            parts.append("\n")
