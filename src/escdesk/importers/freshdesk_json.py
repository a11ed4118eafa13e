"""Freshdesk tickets as its APIs answer, for `--format freshdesk` (which also reads the CSV).

- v2 `/api/v2/tickets` (and a view, `/api/v2/tickets/{id}`): a JSON array of ticket objects,
  or one object; pages may be concatenated;
- v2 search `/api/v2/search/tickets?query=…`: `{"results": [...], "total": N}`;
- v1 `/helpdesk/tickets.json`: `[{"helpdesk_ticket": {...}}]`, or bare ticket objects.

The id is the ticket number people see (v2 `id`, v1 `display_id`), as in the CSV export, so a
ticket imported from either is the same ticket. Body: `description_text`, else the
`description` with its HTML removed, else (a ticket viewed with `include=conversations`) the
first public conversation's `body_text` or `body`, and the import says so. Status and priority
are named (v2 gives numbers: status 2 open, 3 pending, 4 resolved, 5 closed; priority 1 low …
4 urgent). Solved: `stats.resolved_at`,
else `stats.closed_at` (asked for with `include=stats`). Account: the company's name
(`include=company`), else its id. Product, group and custom fields are ids or account-specific:
name them with `--map product_area=cf_product` (a custom field) or `--map component=group_id`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Mapping
from typing import Any

from escdesk.domain.ticket import Ticket
from escdesk.importers.base import InvalidRecord, Outcome, Reading, check_mapping, new_ticket
from escdesk.importers.dates import parse_iso
from escdesk.importers.documents import json_records, nested, record_where
from escdesk.importers.values import FieldProblem, describe, id_text, loose_text, optional_text

MAPPABLE = ("account", "product_area", "component", "priority", "status")
STATUSES = {2: "open", 3: "pending", 4: "resolved", 5: "closed"}
PRIORITIES = {1: "low", 2: "medium", 3: "high", 4: "urgent"}
_BREAKS = re.compile(r"<\s*(br|/p|/div|/li|/h\d|/tr)\b[^>]*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")


def records(reading: Reading) -> Iterator[Outcome]:
    source, options = reading.source, reading.options
    check_mapping(options, "freshdesk JSON", MAPPABLE)
    for record in json_records(
        reading.text,
        kind="Freshdesk",
        fmt="freshdesk",
        containers=("results",),
        looks_right=_is_ticket,
    ):
        value = record.value
        if isinstance(nested(value, "helpdesk_ticket"), dict):
            value = value["helpdesk_ticket"]  # API v1 wraps each ticket
        try:
            outcome: Ticket | InvalidRecord = _ticket(value, source, options.mapping)
        except FieldProblem as bad:
            outcome = InvalidRecord(record.line, bad.field, bad.problem, bad.fix, record.number)
        else:
            if isinstance(outcome, Ticket) and outcome.body and not _description(value):
                told = "is empty: the first public conversation is the body"
                reading.notice("description", told, record_where(record))
        yield record.line, record.number, outcome


def _is_ticket(value: Any) -> bool:
    if isinstance(nested(value, "helpdesk_ticket"), dict):
        return True
    return isinstance(value, dict) and ("subject" in value or "display_id" in value)


def _ticket(value: Any, source: str, mapping: Mapping[str, str]) -> Ticket:
    if not isinstance(value, dict):
        raise FieldProblem("record", f"is {describe(value)}, not a ticket object", "Export again")
    v1 = "display_id" in value
    id_key = "display_id" if v1 else "id"
    created = value.get("created_at")
    if not created:
        raise FieldProblem("created_at", "is missing", "Export the tickets with their created_at")
    solved = (
        nested(value, "stats", "resolved_at")
        or nested(value, "stats", "closed_at")
        or nested(value, "ticket_states", "resolved_at")
        or nested(value, "ticket_states", "closed_at")
    )
    return new_ticket(
        source,
        id_text(value.get(id_key), id_key),
        _subject(value),
        parse_iso(created, "created_at"),
        body=_body(value),
        account=_mapped(value, mapping, "account") or _account(value),
        product_area=_mapped(value, mapping, "product_area"),
        component=_mapped(value, mapping, "component"),
        priority=_mapped(value, mapping, "priority") or _named(value, "priority", PRIORITIES),
        status=_mapped(value, mapping, "status") or _named(value, "status", STATUSES),
        solved_at=parse_iso(solved, "stats.resolved_at") if solved else None,
        tags=_tags(value.get("tags")),
    )


def _subject(ticket: dict[str, Any]) -> str:
    subject = optional_text(ticket.get("subject"), "subject")
    if not subject:
        raise FieldProblem("subject", "is missing", "Give every ticket a subject")
    return subject


def _body(ticket: dict[str, Any]) -> str:
    description = _description(ticket)
    if description:
        return description
    conversations = ticket.get("conversations")
    for talk in conversations if isinstance(conversations, list) else ():
        if not isinstance(talk, dict) or talk.get("private") is True:
            continue
        text = optional_text(talk.get("body_text"), "conversations.body_text")
        marked_up = optional_text(talk.get("body"), "conversations.body")
        if text:
            return text
        if marked_up:
            return plain_text(marked_up)
    return ""


def _description(ticket: dict[str, Any]) -> str:
    text = optional_text(ticket.get("description_text"), "description_text")
    if text:
        return text
    for key in ("description", "description_html"):
        marked_up = optional_text(ticket.get(key), key)
        if marked_up:
            return plain_text(marked_up)
    return ""


def plain_text(marked_up: str) -> str:
    """HTML as the text a person reads: line breaks kept, tags dropped, entities decoded."""
    text = _TAGS.sub("", _BREAKS.sub("\n", marked_up))
    lines = (" ".join(line.split()) for line in html.unescape(text).splitlines())
    return "\n".join(line for line in lines if line).strip()


def _named(ticket: dict[str, Any], key: str, names: Mapping[int, str]) -> str | None:
    """v1 names it (`status_name`); v2 gives the number, custom statuses beyond the four."""
    name = optional_text(ticket.get(f"{key}_name"), f"{key}_name")
    if name:
        return name
    value = ticket.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return names.get(value, str(value))
    return optional_text(value, key)


def _account(ticket: dict[str, Any]) -> str | None:
    name = nested(ticket, "company", "name") or ticket.get("company_name")
    if isinstance(name, str) and name.strip():
        return name.strip()
    company = ticket.get("company_id")
    return None if company is None else str(company)


def _mapped(ticket: dict[str, Any], mapping: Mapping[str, str], field: str) -> str | None:
    """A ticket key (`group_id`) or a custom field (`cf_product`; v1 keeps them in
    `custom_field`, v2 in `custom_fields`)."""
    key = mapping.get(field)
    if not key:
        return None
    for customs in ("custom_fields", "custom_field"):
        values = ticket.get(customs)
        if isinstance(values, dict) and key in values:
            return loose_text(values[key])
    return loose_text(ticket.get(key))


def _tags(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise FieldProblem("tags", f"is {describe(value)}, not a list", 'Write it as ["billing"]')
    names = (loose_text(item) for item in value)  # v1 gives {"name": …} objects
    return tuple(name for name in names if name)
