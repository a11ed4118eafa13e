"""Recurring issues (R-REC-1, R-REC-3, R-RCA-3): a cluster of tickets with one cause, tracked
from first sighting through its fix until tickets of that cause stop arriving.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from escdesk.domain.errors import InvalidInput
from escdesk.domain.events import Event
from escdesk.domain.people import check_text

WEEK = timedelta(weeks=1)
MIN_ISSUE_TICKETS = 3
"""R-REC-1: a cluster of tickets becomes a recurring issue once it holds this many."""


class IssueStatus(StrEnum):
    CANDIDATE = "candidate"  # found by clustering, not yet looked at
    CONFIRMED = "confirmed"  # a person agreed these tickets share one cause
    FIXED = "fixed"  # a fix shipped; watching whether tickets stop
    MERGED = "merged"  # folded into another recurring issue


@dataclass
class RecurringIssue:
    label: str
    created_at: datetime
    status: IssueStatus = IssueStatus.CANDIDATE
    named: bool = False  # a person chose the label; clustering will not rename it
    escalation_ids: set[int] = field(default_factory=set)
    fix_reference: str | None = None
    release: str | None = None
    fixed_at: datetime | None = None
    merged_into: int | None = None
    id: int | None = None
    version: int = 0
    pending_events: list[Event] = field(default_factory=list, repr=False)

    def confirm(self, *, by_id: int | None, now: datetime) -> None:
        self._require_live()
        if self.status is not IssueStatus.CANDIDATE:
            raise InvalidInput("status", f"is already {self.status}", "Nothing to confirm")
        self.status = IssueStatus.CONFIRMED
        self._record("issue_confirmed", now, by_id, {})

    def rename(self, label: str, *, by_id: int | None, now: datetime) -> None:
        self._require_live()
        old, self.label, self.named = self.label, check_text(label, "label"), True
        self._record("issue_renamed", now, by_id, {"from": old, "to": self.label})

    def relabel_from_terms(self, label: str) -> None:
        """Clustering keeps an unnamed issue's label current; a person's name is never replaced."""
        if not self.named:
            self.label = label

    def link_escalation(self, escalation_id: int, *, by_id: int | None, now: datetime) -> None:
        self._require_live()
        if escalation_id in self.escalation_ids:
            raise InvalidInput(
                "escalation", f"ESC-{escalation_id} is already linked", "Nothing to do"
            )
        self.escalation_ids.add(escalation_id)
        self._record("issue_linked_escalation", now, by_id, {"escalation_id": escalation_id})

    def record_fix(
        self,
        *,
        reference: str,
        release: str | None,
        fixed_at: datetime,
        by_id: int | None,
        now: datetime,
    ) -> None:
        """R-REC-3: the fix and the release it shipped in; from then on, tickets should stop."""
        self._require_live()
        if fixed_at > now:
            raise InvalidInput("fixed_at", "is in the future", "Record the fix once it shipped")
        self.fix_reference = check_text(reference, "fix", max_length=500)
        self.release = check_text(release, "release") if release else None
        self.fixed_at = fixed_at
        self.status = IssueStatus.FIXED
        self._record(
            "issue_fixed",
            now,
            by_id,
            {"fix": self.fix_reference, "release": self.release, "fixed_at": fixed_at.isoformat()},
        )

    def merge_into(self, other: RecurringIssue, *, by_id: int | None, now: datetime) -> None:
        """Fold this issue into `other`; the store moves the tickets in the same transaction."""
        self._require_live()
        other._require_live()
        if other.id is None or other.id == self.id:
            raise InvalidInput("into", "must be another recurring issue", "Name a different one")
        other.escalation_ids |= self.escalation_ids
        self.status, self.merged_into = IssueStatus.MERGED, other.id
        self._record("issue_merged", now, by_id, {"into": other.id})
        other._record("issue_absorbed", now, by_id, {"from": self.id})

    def split_off(
        self, part: RecurringIssue, tickets: int, *, by_id: int | None, now: datetime
    ) -> None:
        """A person found tickets of another cause in this issue; they move to `part`."""
        self._require_live()
        if part.id is None or part.id == self.id:
            raise InvalidInput("into", "must be another recurring issue", "Split into a new one")
        self._record("issue_split", now, by_id, {"into": part.id, "tickets": tickets})
        part._record("issue_split_from", now, by_id, {"from": self.id, "tickets": tickets})

    def take_in(self, ticket: str, *, by_id: int | None, now: datetime) -> None:
        """R-REC-2: a person saw a ticket of this cause in a similar-tickets list and put it
        here, instead of investigating it again."""
        self._require_live()
        self._record("issue_ticket_added", now, by_id, {"ticket": ticket})

    def _require_live(self) -> None:
        if self.status is IssueStatus.MERGED:
            raise InvalidInput(
                "issue",
                f"was merged into issue {self.merged_into}",
                f"Work on issue {self.merged_into} instead",
            )

    def _record(self, type_: str, at: datetime, actor_id: int | None, data: dict[str, Any]) -> None:
        self.pending_events.append(Event(type_, at, actor_id, data))


@dataclass(frozen=True)
class Prevention:
    """R-RCA-3: how many tickets of the cause arrived after the fix — the goal metric."""

    before_fix_per_week: float
    after_fix: int
    after_fix_per_week: float
    weeks_since_fix: float

    @property
    def stopped(self) -> bool:
        return self.after_fix == 0


def prevention(created: list[datetime], fixed_at: datetime, now: datetime) -> Prevention:
    before = [c for c in created if c < fixed_at]
    after = [c for c in created if c >= fixed_at]
    span_before = max((fixed_at - min(before)) / WEEK, 1.0) if before else 1.0
    weeks_since = max((now - fixed_at) / WEEK, 0.0)
    return Prevention(
        before_fix_per_week=len(before) / span_before,
        after_fix=len(after),
        after_fix_per_week=len(after) / max(weeks_since, 1.0),
        weeks_since_fix=weeks_since,
    )


def weekly_counts(created: list[datetime], now: datetime, weeks: int = 8) -> list[int]:
    """Tickets per week, oldest week first, the last entry being the seven days up to `now`."""
    counts = [0] * weeks
    for moment in created:
        age = int((now - moment) / WEEK)
        if 0 <= age < weeks and moment <= now:
            counts[weeks - 1 - age] += 1
    return counts


def trend(counts: list[int]) -> float:
    """Least-squares slope in tickets per week: positive means the issue is growing."""
    n = len(counts)
    if n < 2:
        return 0.0
    mean_x, mean_y = (n - 1) / 2, sum(counts) / n
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(counts))
    denominator = sum((x - mean_x) ** 2 for x in range(n))
    return numerator / denominator
