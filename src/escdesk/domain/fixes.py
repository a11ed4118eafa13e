"""Support-written fixes (R-FIX-1, R-FIX-3, seed 002) and Engineering's review of them.

Seed 002: instead of a ticket climbing three levels to Engineering, the bug *and its coded
solution* go to Engineering, which packages accepted fixes into interim releases. A fix is a
patch, a pull or merge request, or a workaround, attached to a request, an escalation or a
recurring issue;
Engineering accepts it, asks for changes or rejects it with a reason, and the author is told.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.messages import MessageKind, OutboxMessage, Template
from escdesk.domain.people import check_text

MAX_PATCH = 200_000


class FixKind(StrEnum):
    PATCH = "patch"  # the patch text itself (a unified diff)
    PULL_REQUEST = "pull_request"  # a pull or merge request URL
    WORKAROUND = "workaround"  # steps the customer can follow until the fix ships


class FixStatus(StrEnum):
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SHIPPED = "shipped"


class Decision(StrEnum):
    ACCEPT = "accept"
    ASK_FOR_CHANGES = "ask_for_changes"
    REJECT = "reject"


_AFTER = {
    Decision.ACCEPT: FixStatus.ACCEPTED,
    Decision.ASK_FOR_CHANGES: FixStatus.CHANGES_REQUESTED,
    Decision.REJECT: FixStatus.REJECTED,
}


def check_url(value: str | None, field: str) -> str:
    """An http(s) URL with a host: what a pull or merge request link must be."""
    url = (value or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 2000:
        raise InvalidInput(
            field, f"{url!r} is not an http(s) URL", "Paste the link from the tracker"
        )
    return url


@dataclass
class Fix:
    title: str
    kind: FixKind
    author_id: int | None
    submitted_at: datetime
    content: str = ""
    url: str | None = None
    escalation_id: int | None = None
    recurring_issue_id: int | None = None
    request_id: int | None = None
    status: FixStatus = FixStatus.SUBMITTED
    review_note: str | None = None
    reviewed_by: int | None = None
    reviewed_at: datetime | None = None
    release_id: int | None = None
    reported_at: datetime | None = None
    shipped_at: datetime | None = None
    id: int | None = None
    version: int = 0
    pending_events: list[Event] = field(default_factory=list, repr=False)
    pending_messages: list[OutboxMessage] = field(default_factory=list, repr=False)

    @classmethod
    def submit(
        cls,
        *,
        title: str,
        kind: FixKind,
        content: str | None,
        url: str | None,
        escalation_id: int | None,
        recurring_issue_id: int | None,
        by_id: int | None,
        now: datetime,
        request_id: int | None = None,
    ) -> Fix:
        """R-FIX-1: attached to a request, an escalation or a recurring issue (or several),
        never to nothing."""
        if escalation_id is None and recurring_issue_id is None and request_id is None:
            raise InvalidInput(
                "escalation",
                "the fix is attached to nothing",
                "Name a request, an escalation or an issue",
            )
        fix = cls(
            title=check_text(title, "title", max_length=200),
            kind=kind,
            author_id=by_id,
            submitted_at=now,
            escalation_id=escalation_id,
            recurring_issue_id=recurring_issue_id,
            request_id=request_id,
        )
        fix._set_body(content, url)
        fix._record("fix_submitted", now, by_id, {"kind": kind.value, "title": fix.title})
        return fix

    def _set_body(self, content: str | None, url: str | None) -> None:
        if self.kind is FixKind.PULL_REQUEST:
            self.url = check_url(url, "url")
            self.content = (content or "").strip()
            return
        field_name = "patch" if self.kind is FixKind.PATCH else "workaround"
        self.content = check_text(content, field_name, max_length=MAX_PATCH)
        self.url = check_url(url, "url") if url and url.strip() else None

    @property
    def subjects(self) -> list[tuple[str, int]]:
        """What the fix is attached to, as (subject type, id): who waits on it follows."""
        pairs = [
            ("request", self.request_id),
            ("escalation", self.escalation_id),
            ("recurring_issue", self.recurring_issue_id),
        ]
        return [(kind, i) for kind, i in pairs if i is not None]

    @property
    def in_review(self) -> bool:
        return self.status is FixStatus.SUBMITTED

    def review(
        self,
        decision: Decision,
        *,
        reason: str | None,
        author_address: str | None,
        by_id: int | None,
        now: datetime,
    ) -> None:
        """Accept, ask for changes or reject — the last two need a reason; the author is told."""
        if not self.in_review:
            raise StateRefused(f"the fix is {self.status.value}; only a submitted fix is reviewed")
        note = (reason or "").strip() or None
        if decision is not Decision.ACCEPT and note is None:
            raise InvalidInput("reason", "is required for this decision", "Say what to change")
        if note is not None:
            note = check_text(note, "reason", max_length=5000)
        self.status = _AFTER[decision]
        self.review_note, self.reviewed_by, self.reviewed_at = note, by_id, now
        self._record("fix_reviewed", now, by_id, {"decision": decision.value, "reason": note})
        words = {
            Decision.ACCEPT: "was accepted for an interim release",
            Decision.ASK_FOR_CHANGES: "needs changes before it can be accepted",
            Decision.REJECT: "was rejected",
        }[decision]
        self._tell_author(author_address, f"Your fix {words}: {self.title}", note or "")

    def revise(
        self, *, content: str | None, url: str | None, by_id: int | None, now: datetime
    ) -> None:
        """After "ask for changes": the author sends a new version, back into the queue."""
        if self.status is not FixStatus.CHANGES_REQUESTED:
            raise StateRefused(f"the fix is {self.status.value}; revise it after changes are asked")
        self._set_body(content if content is not None else self.content, url or self.url)
        self.status = FixStatus.SUBMITTED
        self._record("fix_revised", now, by_id, {})

    def ship(
        self, *, release: str, reported_at: datetime, by_id: int | None, now: datetime
    ) -> None:
        """Shipped in `release` (the release tells the author); the lead time runs from
        `reported_at`, the first report of what it fixes (R-FIX-3)."""
        if self.status is not FixStatus.ACCEPTED:
            raise StateRefused(f"the fix is {self.status.value}; only accepted fixes ship")
        self.status, self.shipped_at, self.reported_at = FixStatus.SHIPPED, now, reported_at
        days = (self.lead_time or timedelta(0)) / timedelta(days=1)
        self._record("fix_shipped", now, by_id, {"release": release, "lead_time_days": days})

    @property
    def lead_time(self) -> timedelta | None:
        """R-FIX-3: from the first report of the cause to the release that shipped the fix."""
        if self.shipped_at is None or self.reported_at is None:
            return None
        return max(self.shipped_at - self.reported_at, timedelta(0))

    def _tell_author(self, address: str | None, subject: str, note: str) -> None:
        if address is None:
            return
        body = f"{subject}\n\n{note}".strip()
        self.pending_messages.append(
            OutboxMessage(
                MessageKind.INTERNAL_EMAIL,
                address,
                {"audience": "internal", "subject": subject, "body": body, "fix_id": self.id},
                Template.NOTICE,
            )
        )

    def _record(self, type_: str, at: datetime, actor_id: int | None, data: dict[str, Any]) -> None:
        self.pending_events.append(Event(type_, at, actor_id, data))


@dataclass(frozen=True)
class LeadTimes:
    """R-FIX-3: report-to-fix lead time over the shipped fixes (goal: days or weeks)."""

    shipped: int
    median_days: float | None
    longest_days: float | None


def lead_times(fixes: list[Fix]) -> LeadTimes:
    days = [f.lead_time / timedelta(days=1) for f in fixes if f.lead_time is not None]
    if not days:
        return LeadTimes(0, None, None)
    return LeadTimes(len(days), statistics.median(days), max(days))
