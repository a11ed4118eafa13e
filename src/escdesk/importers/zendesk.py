"""`--format zendesk`: Zendesk Support tickets as its APIs and exports write them.

Reads a tickets document (`{"tickets": [...]}` from `/api/v2/tickets.json` or the incremental
export `/api/v2/incremental/tickets/cursor.json`, pages may be concatenated), a search result
(`{"results": [...]}`, tickets only), one ticket as `/api/v2/tickets/{id}.json` answers
(`{"ticket": {...}}`, one or many such answers in a row), or one ticket object per line (the
account's JSON export, whose tickets carry their `comments`).

Fields: `id`, `subject` (else `raw_subject`, else the first line of the body), `description`
→ body (when it is empty, the first public comment's `plain_body` or `body`), `created_at`,
`priority`, `status`, `tags`, `solved_at` (or `metric_set.solved_at` when metric sets are
sideloaded). A subject or body that stood in for a missing one is told in the import's notices.
The account is the organization's name when the export carries it (`organization_name`,
`organization.name`, or organizations sideloaded with `include=organizations` *before* the
tickets), otherwise the organization id.
Zendesk product areas live in custom fields that only the account knows: name them with
`--map product_area=<custom field id>` (or a ticket key, `--map component=group_id`).
The time-based incremental export repeats changed tickets: import it with repeats allowed.
How a ticket was answered feeds the first-contact and CSAT figures: `satisfaction_rating.score`
(good or bad), and first-contact resolution from the public comments when the export has them
(at most one from the requester and one reply), else `metric_set.replies` and `reopens`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, TextIO

from escdesk.domain.ticket import Ticket
from escdesk.domain.ticket_outcomes import first_contact_resolved, one_touch, satisfaction
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
    id_text,
    loose_text,
    optional_text,
    read_by_rule,
    text_list,
)

CONTAINERS = ("tickets", "results", "organizations")
MAPPABLE = ("account", "product_area", "component", "priority", "status")


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
        fmt="zendesk",
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
        if record.key is None and isinstance(nested(value, "ticket"), dict):
            value = value["ticket"]  # one ticket, as the show-ticket endpoint answers
        try:
            outcome: Ticket | InvalidRecord = _ticket(value, source, options.mapping, organizations)
        except FieldProblem as bad:
            outcome = InvalidRecord(record.line, bad.field, bad.problem, bad.fix, record.number)
        else:
            for field, message in _stand_ins(value):
                reading.notice(field, message, record_where(record))
        yield record.line, record.number, outcome


def _is_ticket(value: Any) -> bool:
    if isinstance(value, dict) and isinstance(value.get("ticket"), dict):
        value = value["ticket"]
    return isinstance(value, dict) and ("id" in value or "subject" in value)


def _stand_ins(ticket: dict[str, Any]) -> list[tuple[str, str]]:
    """What stood in for an empty subject or description, to tell the person importing."""
    told = []
    if not optional_text(ticket.get("description"), "description") and _body(ticket):
        told.append(("description", "is empty: the first public comment is the body"))
    if not any(optional_text(ticket.get(k), k) for k in ("subject", "raw_subject")):
        told.append(("subject", "is empty: the first line of the body stands in"))
    return told


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
        body=_body(value),
        account=_pick(value, mapping, "account") or _account(value, organizations),
        product_area=_pick(value, mapping, "product_area"),
        component=_pick(value, mapping, "component"),
        priority=_pick(value, mapping, "priority", "priority"),
        status=_pick(value, mapping, "status", "status"),
        solved_at=parse_iso(solved, "solved_at") if solved else None,
        tags=text_list(value.get("tags"), "tags"),
        first_contact=_first_contact(value),
        satisfied=_satisfied(value),
    )


def _first_contact(ticket: dict[str, Any]) -> bool | None:
    """Znuny's rule over the public comments when the export has them (the requester's
    against everyone else's), else Zendesk's one-touch flag from the ticket metrics."""
    comments, requester = ticket.get("comments"), ticket.get("requester_id")
    if isinstance(comments, list) and comments and requester is not None:
        public = [c for c in comments if isinstance(c, dict) and c.get("public", True) is not False]
        from_customer = sum(1 for c in public if c.get("author_id") == requester)
        return first_contact_resolved(from_customer, len(public) - from_customer)
    replies = nested(ticket, "metric_set", "replies")
    reopens = nested(ticket, "metric_set", "reopens")
    return one_touch(
        replies if isinstance(replies, int) else None,
        reopens if isinstance(reopens, int) else None,
    )


def _satisfied(ticket: dict[str, Any]) -> bool | None:
    """`satisfaction_rating.score`: good or bad (`offered`, `unoffered`: not rated)."""
    score = nested(ticket, "satisfaction_rating", "score")
    if not isinstance(score, str):
        return None
    rating = score.removesuffix("_with_comment")
    return read_by_rule(satisfaction, rating, "satisfaction_rating.score")


def _body(ticket: dict[str, Any]) -> str:
    """The description, which Zendesk copies from the first comment; a ticket whose
    description is empty (created through the API, or by a trigger) has its first public
    comment read instead, when the export carries comments."""
    description = optional_text(ticket.get("description"), "description")
    if description:
        return description
    comments = ticket.get("comments")
    for comment in comments if isinstance(comments, list) else ():
        if isinstance(comment, dict) and comment.get("public", True) is not False:
            for key in ("plain_body", "body"):
                text = optional_text(comment.get(key), f"comments.{key}")
                if text:
                    return text
    return ""


def _subject(ticket: dict[str, Any]) -> str:
    """Tickets from calls and chats often have no subject; their body's first line stands in."""
    for key in ("subject", "raw_subject"):
        subject = optional_text(ticket.get(key), key)
        if subject:
            return subject
    body = _body(ticket)
    if not body:
        raise FieldProblem(
            "subject", "is missing, and so is the description", "Give the ticket a subject"
        )
    return first_line(body)


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
