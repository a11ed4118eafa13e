"""`--format zendesk`: Zendesk Support tickets as its APIs and exports write them.

Reads a tickets document (`{"tickets": [...]}` from `/api/v2/tickets.json` or the incremental
export `/api/v2/incremental/tickets/cursor.json`, pages may be concatenated), a search result
(`{"results": [...]}`, tickets only), or one ticket object per line (the account's JSON export).

Fields: `id`, `subject` (else `raw_subject`, else the first line of `description`),
`description` → body, `created_at`, `priority`, `status`, `tags`, `solved_at` (or
`metric_set.solved_at` when metric sets are sideloaded). The account is the organization's
name when the export carries it (`organization_name`, `organization.name`, or organizations
sideloaded with `include=organizations` *before* the tickets), otherwise the organization id.
Zendesk product areas live in custom fields that only the account knows: name them with
`--map product_area=<custom field id>` (or a ticket key, `--map component=group_id`).
The time-based incremental export repeats changed tickets: import it with repeats allowed.
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
from escdesk.importers.documents import json_records, nested
from escdesk.importers.values import (
    FieldProblem,
    describe,
    id_text,
    loose_text,
    optional_text,
    text_list,
)

CONTAINERS = ("tickets", "results", "organizations")
MAPPABLE = ("account", "product_area", "component", "priority", "status")
SUBJECT_FROM_BODY = 120


def parse(
    stream: TextIO | BinaryIO,
    *,
    source: str = "zendesk",
    options: ImportOptions = DEFAULT_OPTIONS,
) -> Iterator[ParsedRecord]:
    return run(stream, source, options, _records)


def _records(reading: Reading) -> Iterator[Outcome]:
    text, source, options = reading.text, reading.source, reading.options
    check_mapping(options, "zendesk", MAPPABLE)
    organizations: dict[str, str] = {}
    for record in json_records(
        text,
        kind="Zendesk",
        containers=CONTAINERS,
        looks_right=_is_ticket,
        side=("organizations",),
    ):
        value = record.value
        if record.key == "organizations":
            name = nested(value, "name")
            if isinstance(name, str) and nested(value, "id") is not None:
                organizations[str(value["id"])] = name
            continue
        if record.key == "results" and nested(value, "result_type") not in (None, "ticket"):
            continue
        try:
            outcome: Ticket | InvalidRecord = _ticket(value, source, options.mapping, organizations)
        except FieldProblem as bad:
            outcome = InvalidRecord(record.line, bad.field, bad.problem, bad.fix, record.number)
        yield record.line, record.number, outcome


def _is_ticket(value: Any) -> bool:
    return isinstance(value, dict) and ("id" in value or "subject" in value)


def _ticket(
    value: Any, source: str, mapping: Mapping[str, str], organizations: Mapping[str, str]
) -> Ticket:
    if not isinstance(value, dict):
        raise FieldProblem("record", f"is {describe(value)}, not a ticket object", "Export again")
    created = value.get("created_at")
    if not created:
        raise FieldProblem("created_at", "is missing", "Export the tickets with their created_at")
    solved = value.get("solved_at") or nested(value, "metric_set", "solved_at")
    return new_ticket(
        source,
        id_text(value.get("id"), "id"),
        _subject(value),
        parse_iso(created, "created_at"),
        body=optional_text(value.get("description"), "description") or "",
        account=_pick(value, mapping, "account") or _account(value, organizations),
        product_area=_pick(value, mapping, "product_area"),
        component=_pick(value, mapping, "component"),
        priority=_pick(value, mapping, "priority", "priority"),
        status=_pick(value, mapping, "status", "status"),
        solved_at=parse_iso(solved, "solved_at") if solved else None,
        tags=text_list(value.get("tags"), "tags"),
    )


def _subject(ticket: dict[str, Any]) -> str:
    """Tickets from calls and chats often have no subject; their description stands in."""
    for key in ("subject", "raw_subject"):
        subject = optional_text(ticket.get(key), key)
        if subject:
            return subject
    body = optional_text(ticket.get("description"), "description")
    if not body:
        raise FieldProblem(
            "subject", "is missing, and so is the description", "Give the ticket a subject"
        )
    first = body.splitlines()[0].strip()
    if len(first) > SUBJECT_FROM_BODY:
        return first[: SUBJECT_FROM_BODY - 1].rstrip() + "…"
    return first


def _pick(
    ticket: dict[str, Any], mapping: Mapping[str, str], field: str, default: str | None = None
) -> str | None:
    """A mapped field: digits name a custom field id, anything else a ticket key."""
    where = mapping.get(field, default)
    if not where:
        return None
    if where.isdigit():
        for key in ("custom_fields", "fields"):
            customs = ticket.get(key)
            for custom in customs if isinstance(customs, list) else ():
                if isinstance(custom, dict) and str(custom.get("id")) == where:
                    return loose_text(custom.get("value"))
        return None
    value = ticket.get(where)
    if field in ("priority", "status") and where == default:
        return optional_text(value, where)
    return loose_text(value)


def _account(ticket: dict[str, Any], organizations: Mapping[str, str]) -> str | None:
    name = ticket.get("organization_name") or nested(ticket, "organization", "name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    org_id = ticket.get("organization_id")
    if org_id is None:
        return None
    return organizations.get(str(org_id), str(org_id))
