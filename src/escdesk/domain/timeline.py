"""The retrospective's timeline, walked back from the audit trail (R-RCA-1, R-ESC-11).

Nobody retypes what happened: every line is an audit event of the escalation, in the order it
was recorded, worded by the one registry of event types, with the annotation a person wrote on
it. Internal text (internal updates, internal notes) is left out unless the reader may see it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from escdesk.domain.events import EVENT_TYPES
from escdesk.domain.retrospective import Retrospective


@dataclass(frozen=True)
class TrailEntry:
    """One audit event as the trail holds it: its id, type, moment, who and what."""

    id: int
    type: str
    at: datetime
    actor: str | None
    data: Mapping[str, Any]


@dataclass(frozen=True)
class TimelineLine:
    event_id: int
    at: datetime
    actor: str
    what: str
    detail: str
    annotation: str | None


def _detail(entry: TrailEntry, internal: bool) -> str:
    data = entry.data
    if entry.type == "update_posted":
        if data.get("audience") == "internal" and not internal:
            return "(an internal update)"
        return f"{data.get('audience', '')}: {data.get('body', '')}".strip(": ")
    if entry.type == "severity_changed":
        return f"{data.get('from', '?')} → {data.get('to', '?')}: {data.get('reason', '')}"
    if entry.type == "opened":
        return " ".join(str(data[k]) for k in ("severity", "summary") if data.get(k))
    if entry.type in ("eta_set", "eta_changed"):
        return f"{data.get('from') or 'none'} → {data.get('to')}: {data.get('reason', '')}"
    if entry.type == "moved_to_monitoring":
        return str(data.get("note", ""))
    if entry.type == "closed":
        parts = [f"agreed by {data.get('agreed_by')}"] if data.get("agreed_by") else []
        parts += [f"RCA {data['rca']}"] if data.get("rca") else []
        parts += [f"sentiment {data['sentiment']}"] if data.get("sentiment") else []
        return ", ".join(parts)
    if entry.type == "owner_changed":
        return f"{data.get('role', '')}: {data.get('reason', '')}".strip(": ")
    return ""


def build_timeline(
    trail: Iterable[TrailEntry], annotations: Mapping[int, str], *, internal: bool
) -> list[TimelineLine]:
    """Every event of the trail, oldest first, with its annotation."""
    lines = []
    for entry in sorted(trail, key=lambda e: (e.at, e.id)):
        lines.append(
            TimelineLine(
                event_id=entry.id,
                at=entry.at,
                actor=entry.actor or "escdesk",
                what=EVENT_TYPES.get(entry.type, entry.type.replace("_", " ")),
                detail=_detail(entry, internal),
                annotation=annotations.get(entry.id),
            )
        )
    return lines


def _md(text: str) -> str:
    """One line of text that cannot break the Markdown around it."""
    return " ".join(text.split()).replace("|", "\\|")


def to_markdown(
    retro: Retrospective,
    *,
    title: str,
    timeline: list[TimelineLine],
    owners: Mapping[int, str],
    internal: bool,
    now: datetime,
) -> str:
    """The retrospective for sharing; internal notes only when `internal`."""
    cause = retro.root_cause.words if retro.root_cause else "not named yet"
    out = [
        f"# Retrospective: ESC-{retro.escalation_id} {_md(title)}",
        "",
        f"- Status: {retro.status.value}"
        + (f" ({retro.completed_at:%Y-%m-%d})" if retro.completed_at else ""),
        f"- Due: {retro.due_at:%Y-%m-%d}",
        f"- Root cause: {cause}",
        "",
        "## Summary",
        "",
        retro.summary or "_Not written yet._",
        "",
        "## Timeline",
        "",
        "| When (UTC) | Who | What | Notes |",
        "| --- | --- | --- | --- |",
    ]
    for line in timeline:
        what = line.what + (f": {line.detail}" if line.detail else "")
        out.append(
            f"| {line.at:%Y-%m-%d %H:%M} | {_md(line.actor)} | {_md(what)} "
            f"| {_md(line.annotation or '')} |"
        )
    out += ["", "## Missed opportunities", ""]
    out += [f"{n}. {_md(t)}" for n, t in enumerate(retro.missed_opportunities, 1)] or ["_None._"]
    out += ["", "## Follow-up actions", ""]
    for item in retro.follow_ups:
        box = "x" if item.done else " "
        owner = owners.get(item.owner_id, f"person {item.owner_id}")
        late = " (overdue)" if item.on_time(now) is False and not item.done else ""
        out.append(
            f"- [{box}] {_md(item.title)} — {_md(owner)}, {item.team}, "
            f"due {item.due_at:%Y-%m-%d}{late}"
            + (f" ({item.tracker_url})" if item.tracker_url else "")
        )
    if not retro.follow_ups:
        out.append("_None._")
    if internal and retro.internal_notes:
        out += ["", "## Internal notes", "", retro.internal_notes]
    return "\n".join(out) + "\n"
