"""The audit trail (R-ESC-11) in sentences a person reads at a glance, for every face.

The web page and `escdesk escalations history` print the same sentences; each face only says
how a moment is written (`moment`: the viewer's zone on a page, the actor's on the CLI), and the
raw event data stays in the JSON answers. Internal update texts stay hidden from readers without
internal access (R-OPS-2): the trail says an internal update was posted, never what it said.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escdesk.domain.visibility import visible_data
from escdesk.services.views import HistoryEntry

ROLES = {"dri": "DRI", "product_dri": "Product DRI", "product_leader": "Product leader"}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    kind: str
    text: str


def describe(
    entry: HistoryEntry,
    names: Mapping[int, str],
    show_internal: bool,
    moment_text: Callable[[datetime], str],
) -> HistoryLine:
    data: dict[str, Any] = visible_data(entry.type, entry.data or {}, show_internal)

    def name(person_id: object) -> str:
        if isinstance(person_id, int):
            return names.get(person_id, f"person {person_id}")
        return "nobody"

    def moment(value: object) -> str:
        if not isinstance(value, str):
            return "none"
        return moment_text(datetime.fromisoformat(value))

    kind, text = entry.type, entry.type.replace("_", " ").capitalize()
    if kind == "opened":
        text = f"Opened as {data.get('severity', '?')}, DRI {name(data.get('dri_id'))}"
    elif kind == "activated":
        text = "Became active with the first update"
    elif kind == "update_posted":
        audience = data.get("audience")
        if audience == "internal" and not show_internal:
            text = "Posted an internal update"
        else:
            who = "a customer-facing" if audience == "customer" else "an internal"
            text = f"Posted {who} update: {_short(data.get('body'))}"
    elif kind == "severity_changed":
        text = f"Severity {data.get('from')} → {data.get('to')}{_reason(data.get('reason'))}"
    elif kind == "owner_changed":
        role = str(data.get("role", "owner"))
        text = (
            f"{ROLES.get(role, role.capitalize())} {name(data.get('from'))} → "
            f"{name(data.get('to'))}"
            f"{_reason(data.get('reason'))}"
        )
    elif kind == "eta_changed":
        slip = " (slip)" if data.get("slipped") else ""
        text = (
            f"ETA {moment(data.get('from'))} → {moment(data.get('to'))}{slip}"
            f"{_reason(data.get('reason'))}"
        )
    elif kind == "customer_summary_set":
        verb = "Changed" if data.get("from") else "Set"
        text = f"{verb} what the customer reads it is about: {_short(data.get('to'))}"
    elif kind == "exit_criterion_added":
        text = f"Added exit criterion: {_short(data.get('text'))}"
    elif kind in ("exit_criterion_done", "exit_criterion_undone"):
        state = "done" if kind.endswith("_done") else "open again"
        text = f"Exit criterion {data.get('number')} {state}: {_short(data.get('text'))}"
    elif kind == "exit_criterion_waived":
        text = (
            f"Exit criterion {data.get('number')} waived at closing: {_short(data.get('text'))}"
            f" — {_short(data.get('waiver'))}"
        )
    elif kind == "moved_to_monitoring":
        text = f"Moved to monitoring{_reason(data.get('note'))}"
    elif kind == "closed":
        text = f"Closed; the customer agreed at {moment(data.get('agreed_at'))}"
        if "agreed_by" in data:
            text = (
                f"Closed; {data.get('agreed_by')} agreed by {data.get('agreed_via')} "
                f"at {moment(data.get('agreed_at'))}"
            )
        if data.get("sentiment"):
            text += f"; the account's sentiment is now {str(data['sentiment']).replace('_', ' ')}"
    elif kind == "reopened":
        text = f"Reopened{_reason(data.get('reason'))}"
        if data.get("waivers_cleared"):
            numbers = ", ".join(str(n) for n in data["waivers_cleared"])
            text += f"; waived exit criteria open again: {numbers}"
    elif kind == "clock_resumed" and data.get("via") == "email":
        text = (
            f"Customer-update clock resumed: {data.get('from', 'the customer')} replied by e-mail"
        )
    elif kind == "customer_replied":
        text = f"{data.get('from', 'The customer')} replied by e-mail{_reason(data.get('reply'))}"
    return HistoryLine(entry.at, entry.actor_name or "escdesk", kind, text)


def _reason(value: object) -> str:
    """': why' when the reader may see why (internal text), else nothing."""
    return f": {_short(value)}" if value else ""


def _short(value: object, limit: int = 160) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
