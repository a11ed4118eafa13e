"""The audit trail (R-ESC-11) in sentences a person reads at a glance.

Internal update texts stay hidden from readers without internal access (R-OPS-2): the trail
says an internal update was posted, never what it said.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escdesk.domain.visibility import visible_data
from escdesk.services.views import HistoryEntry
from escdesk.web.errors import words
from escdesk.web.pages import when


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    actor: str
    kind: str
    text: str


def describe(entry: HistoryEntry, names: Mapping[int, str], show_internal: bool) -> HistoryLine:
    data: dict[str, Any] = visible_data(entry.type, entry.data or {}, show_internal)

    def name(person_id: object) -> str:
        if isinstance(person_id, int):
            return names.get(person_id, f"person {person_id}")
        return "nobody"

    def moment(value: object) -> str:
        if not isinstance(value, str):
            return "none"
        return when(datetime.fromisoformat(value))

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
        role = words(str(data.get("role", "owner")))  # "DRI", "product DRI"
        text = (
            f"{role[:1].upper()}{role[1:]} {name(data.get('from'))} → {name(data.get('to'))}"
            f"{_reason(data.get('reason'))}"
        )
    elif kind == "eta_changed":
        slip = " (slip)" if data.get("slipped") else ""
        text = (
            f"ETA {moment(data.get('from'))} → {moment(data.get('to'))}{slip}"
            f"{_reason(data.get('reason'))}"
        )
    elif kind == "exit_criterion_added":
        text = f"Added exit criterion: {_short(data.get('text'))}"
    elif kind in ("exit_criterion_done", "exit_criterion_undone"):
        state = "done" if kind.endswith("_done") else "open again"
        text = f"Exit criterion {data.get('number')} {state}: {_short(data.get('text'))}"
    elif kind == "moved_to_monitoring":
        text = f"Moved to monitoring{_reason(data.get('note'))}"
    elif kind == "closed":
        text = f"Closed; the customer agreed at {moment(data.get('agreed_at'))}"
        if "agreed_by" in data:
            text = (
                f"Closed; {data.get('agreed_by')} agreed by {data.get('agreed_via')} "
                f"at {moment(data.get('agreed_at'))}"
            )
    elif kind == "reopened":
        text = f"Reopened{_reason(data.get('reason'))}"
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
