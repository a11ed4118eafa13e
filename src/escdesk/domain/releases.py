"""Interim releases (R-FIX-1, R-FIX-2, seed 002): accepted fixes shipped between major releases.

Support orders a release's contents by priority (R-FIX-2); the release notes are generated from
the accepted fixes and what they are attached to; shipping tells everyone waiting — the fix's
author, the escalation's requester and DRI, its channel — in the transaction that ships it, and
records the fix date from which the prevention figure (R-RCA-3) counts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.fixes import Fix, FixKind, FixStatus
from escdesk.domain.messages import MessageKind, OutboxMessage, Template
from escdesk.domain.people import check_text


class ReleaseStatus(StrEnum):
    PLANNED = "planned"
    SHIPPED = "shipped"


def check_version(value: str) -> str:
    text = check_text(value, "version", max_length=40)
    if any(c.isspace() for c in text):
        raise InvalidInput("version", f"{text!r} has spaces", "Use a version such as 4.2.1")
    return text


@dataclass
class Release:
    version: str
    planned_on: date
    created_at: datetime
    status: ReleaseStatus = ReleaseStatus.PLANNED
    fix_ids: list[int] = field(default_factory=list)
    """The contents in priority order: what ships first if the release must shrink."""
    shipped_at: datetime | None = None
    notes: str = ""
    id: int | None = None
    revision: int = 0
    pending_events: list[Event] = field(default_factory=list, repr=False)
    pending_messages: list[OutboxMessage] = field(default_factory=list, repr=False)

    @classmethod
    def plan(cls, version: str, planned_on: date, *, by_id: int | None, now: datetime) -> Release:
        if planned_on < now.date():
            raise InvalidInput(
                "planned_on", "is in the past", "Plan the release for today or later"
            )
        release = cls(check_version(version), planned_on, now)
        release._record("release_planned", now, by_id, {"planned_on": planned_on.isoformat()})
        return release

    def add(self, fix: Fix, *, by_id: int | None, now: datetime) -> None:
        """Only accepted fixes go in, each into one release; new ones rank last."""
        self._require_planned()
        assert fix.id is not None
        if fix.status is not FixStatus.ACCEPTED:
            raise StateRefused(f"fix {fix.id} is {fix.status.value}; only accepted fixes ship")
        if fix.release_id is not None:
            raise InvalidInput(
                "fix", f"fix {fix.id} is already in a release", "Take it out of that one first"
            )
        fix.release_id = self.id
        self.fix_ids.append(fix.id)
        self._record("release_fix_added", now, by_id, {"fix_id": fix.id})

    def remove(self, fix: Fix, *, by_id: int | None, now: datetime) -> None:
        self._require_planned()
        if fix.id not in self.fix_ids:
            raise InvalidInput("fix", f"fix {fix.id} is not in {self.version}", "Nothing to do")
        self.fix_ids.remove(fix.id)
        fix.release_id = None
        self._record("release_fix_removed", now, by_id, {"fix_id": fix.id})

    def rank(self, fix_id: int, position: int, *, by_id: int | None, now: datetime) -> None:
        """R-FIX-2: move a fix to `position` (1 = first) in the release's priority order."""
        self._require_planned()
        if fix_id not in self.fix_ids:
            raise InvalidInput("fix", f"fix {fix_id} is not in {self.version}", "Add it first")
        if not 1 <= position <= len(self.fix_ids):
            raise InvalidInput(
                "position", f"{position} is out of range", f"Give 1 to {len(self.fix_ids)}"
            )
        self.fix_ids.remove(fix_id)
        self.fix_ids.insert(position - 1, fix_id)
        self._record("release_ranked", now, by_id, {"fix_id": fix_id, "position": position})

    def ship(
        self,
        fixes: Mapping[int, Fix],
        *,
        notes: str,
        waiting: Sequence[str],
        channels: Sequence[str],
        by_id: int | None,
        now: datetime,
    ) -> None:
        """Ship: every fix marked shipped by the caller; tell the people and channels waiting."""
        self._require_planned()
        if not self.fix_ids:
            raise StateRefused(f"{self.version} has no fixes; add accepted fixes before shipping")
        self.status, self.shipped_at, self.notes = ReleaseStatus.SHIPPED, now, notes
        self._record("release_shipped", now, by_id, {"fixes": list(self.fix_ids)})
        subject = f"Interim release {self.version} shipped with your fix"
        for address in sorted(set(waiting)):
            self.pending_messages.append(
                OutboxMessage(
                    MessageKind.INTERNAL_EMAIL,
                    address,
                    {"audience": "internal", "subject": subject, "body": notes},
                    Template.NOTICE,
                )
            )
        titles = "; ".join(fixes[i].title for i in self.fix_ids if i in fixes)
        for channel in sorted(set(channels)):
            self.pending_messages.append(
                OutboxMessage(
                    MessageKind.ANNOUNCE,
                    channel,
                    {"text": f"Interim release {self.version} shipped: {titles}"},
                    Template.NOTICE,
                )
            )

    def _require_planned(self) -> None:
        if self.status is ReleaseStatus.SHIPPED:
            raise StateRefused(f"{self.version} has shipped; plan another release")

    def _record(self, type_: str, at: datetime, actor_id: int | None, data: dict[str, Any]) -> None:
        self.pending_events.append(Event(type_, at, actor_id, data))


def release_notes(
    release: Release,
    fixes: Mapping[int, Fix],
    *,
    escalations: Mapping[int, str],
    issues: Mapping[int, str],
    requests: Mapping[int, str] | None = None,
) -> str:
    """The notes, in priority order, from the accepted fixes and what they are attached to:
    the requests, escalations and recurring issues they fix."""
    requests = requests or {}
    lines = [f"# {release.version} (interim release, planned {release.planned_on})", ""]
    for number, fix_id in enumerate(release.fix_ids, 1):
        fix = fixes[fix_id]
        about = []
        if fix.request_id is not None:
            about.append(f"REQ-{fix.request_id} {requests.get(fix.request_id, '')}")
        if fix.escalation_id is not None:
            about.append(f"ESC-{fix.escalation_id} {escalations.get(fix.escalation_id, '')}")
        if fix.recurring_issue_id is not None:
            label = issues.get(fix.recurring_issue_id, "")
            about.append(f"recurring issue {fix.recurring_issue_id} {label}")
        line = f"{number}. {fix.title}"
        if fix.kind is FixKind.WORKAROUND:
            line += " (workaround)"
        if fix.url:
            line += f" — {fix.url}"
        lines.append(line)
        if about:
            lines.append(f"   Fixes: {'; '.join(a.strip() for a in about)}")
    if not release.fix_ids:
        lines.append("_No fixes yet._")
    return "\n".join(lines) + "\n"
