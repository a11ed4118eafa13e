"""The retrospective of an escalation into Engineering (R-RCA-1, R-RCA-2, seed 001).

Seed 001 treats every escalation that reached Engineering as an outage: the timeline walked
back, the missed opportunities chronicled, a root cause named so the ticket is never filed
again, and follow-up actions owned and tracked to done. The timeline itself is never typed: it
is read from the escalation's audit trail (`domain.timeline`); people only annotate it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from escdesk.domain import clock
from escdesk.domain.engineering_links import parse_link
from escdesk.domain.errors import InvalidInput, RuleRefused, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.messages import MessageKind, OutboxMessage, Template
from escdesk.domain.people import check_text
from escdesk.domain.tracker_issues import IssueTarget, issue_lines, issue_request

MAX_TEXT = 10_000


class RootCause(StrEnum):
    """Seed 001's taxonomy: an escalation is an education problem or, in one of its forms, a bug."""

    EDUCATION = "education"
    PRODUCT_BUG = "product_bug"
    DESIGN = "design"
    MISSING_CAPABILITY = "missing_capability"
    ENVIRONMENT = "environment"

    @property
    def words(self) -> str:
        return ROOT_CAUSE_WORDS[self]


ROOT_CAUSE_WORDS: dict[RootCause, str] = {
    RootCause.EDUCATION: "education or documentation gap",
    RootCause.PRODUCT_BUG: "product bug: the software let the customer into a broken state",
    RootCause.DESIGN: 'design or usability: "the customer used it wrong" is a design bug',
    RootCause.MISSING_CAPABILITY: (
        'missing capability: "the customer needed local scripts and hacks"'
    ),
    RootCause.ENVIRONMENT: "environment or infrastructure",
}


class RetroStatus(StrEnum):
    OPEN = "open"
    COMPLETED = "completed"


def needs_retrospective(*, product_related: bool, engineering_links: int) -> bool:
    """R-RCA-1: an escalation reached Engineering when it is product related or links an
    engineering issue; only those get a retrospective."""
    return product_related or engineering_links > 0


@dataclass
class FollowUp:
    """R-RCA-2: an action the retrospective asks for, owned by one person, due at a moment."""

    title: str
    owner_id: int
    team: str
    due_at: datetime
    created_at: datetime
    done_at: datetime | None = None
    reminders_sent: int = 0
    tracker_url: str | None = None
    """The tracker issue this action is mirrored in; it is done when that issue closes."""
    tracker_requested_at: datetime | None = None
    """When an issue was asked to be created for it; set until the worker records the URL."""
    id: int | None = None

    @property
    def done(self) -> bool:
        return self.done_at is not None

    def on_time(self, now: datetime) -> bool | None:
        """Done by its due moment (True), late or overdue (False), or not yet due (None)."""
        if self.done_at is not None:
            return self.done_at <= self.due_at
        return False if now > self.due_at else None


@dataclass
class Retrospective:
    escalation_id: int
    opened_at: datetime
    due_at: datetime
    status: RetroStatus = RetroStatus.OPEN
    root_cause: RootCause | None = None
    summary: str = ""
    internal_notes: str = ""
    missed_opportunities: list[str] = field(default_factory=list)
    annotations: dict[int, str] = field(default_factory=dict)
    follow_ups: list[FollowUp] = field(default_factory=list)
    completed_at: datetime | None = None
    overdue_told: bool = False
    id: int | None = None
    version: int = 0
    pending_events: list[Event] = field(default_factory=list, repr=False)
    pending_messages: list[OutboxMessage] = field(default_factory=list, repr=False)

    @classmethod
    def open(
        cls,
        escalation_id: int,
        *,
        trigger: str,
        by_id: int | None,
        now: datetime,
        dri_address: str | None = None,
    ) -> Retrospective:
        """Opened by the move to monitoring or the closing, due `clock.retrospective_due`;
        the escalation's DRI is told when it is due."""
        retro = cls(escalation_id, now, clock.retrospective_due(now))
        data = {"escalation_id": escalation_id, "trigger": trigger}
        retro._record(
            "retrospective_opened", now, by_id, {**data, "due_at": retro.due_at.isoformat()}
        )
        retro._tell(dri_address, f"is due {retro.due_at:%Y-%m-%d}")
        return retro

    def remind_if_overdue(self, dri_address: str | None, now: datetime) -> bool:
        """Once past its due moment and still open, the DRI hears it is overdue (once)."""
        if self.overdue_told or not self.is_overdue(now):
            return False
        self.overdue_told = True
        self._record("retrospective_reminded", now, None, {"due_at": self.due_at.isoformat()})
        self._tell(dri_address, f"is overdue (due {self.due_at:%Y-%m-%d})")
        return True

    def _tell(self, address: str | None, when: str) -> None:
        if address is None:
            return
        subject = f"The retrospective of ESC-{self.escalation_id} {when}"
        body = (
            f"{subject}. Walk the timeline back, name the missed opportunities and the root "
            "cause, and add follow-up actions with owners and due dates."
        )
        self.pending_messages.append(
            OutboxMessage(
                MessageKind.INTERNAL_EMAIL,
                address,
                {"audience": "internal", "subject": subject, "body": body},
                Template.REMINDER,
            )
        )

    @property
    def completed(self) -> bool:
        return self.status is RetroStatus.COMPLETED

    def is_overdue(self, now: datetime) -> bool:
        return not self.completed and clock.is_overdue(self.due_at, now)

    # ------------------------------------------------------------------ writing it
    def annotate(
        self, event_id: int, text: str, *, trail: set[int], by_id: int | None, now: datetime
    ) -> None:
        """A person's note on one line of the timeline; `trail` holds the event ids it has."""
        self._require_open()
        if event_id not in trail:
            raise InvalidInput(
                "event", f"{event_id} is not on this escalation's timeline", "Pick a line's id"
            )
        note = check_text(text, "annotation", max_length=MAX_TEXT)
        self.annotations[event_id] = note
        self._record("timeline_annotated", now, by_id, {"event_id": event_id, "note": note})

    def add_missed_opportunity(self, text: str, *, by_id: int | None, now: datetime) -> int:
        """Where the problem could have been caught earlier; numbered from 1."""
        self._require_open()
        self.missed_opportunities.append(
            check_text(text, "missed_opportunity", max_length=MAX_TEXT)
        )
        number = len(self.missed_opportunities)
        self._record("missed_opportunity_added", now, by_id, {"number": number})
        return number

    def describe(
        self,
        *,
        root_cause: RootCause | None,
        summary: str | None,
        internal_notes: str | None,
        by_id: int | None,
        now: datetime,
    ) -> None:
        """Set the root-cause category, the shared summary and the internal notes."""
        self._require_open()
        changed: dict[str, Any] = {}
        if root_cause is not None and root_cause != self.root_cause:
            self.root_cause = root_cause
            changed["root_cause"] = root_cause.value
        if summary is not None:
            self.summary = check_text(summary, "summary", max_length=MAX_TEXT)
            changed["summary"] = True
        if internal_notes is not None:
            self.internal_notes = (
                check_text(internal_notes, "internal_notes", max_length=MAX_TEXT)
                if internal_notes.strip()
                else ""
            )
            changed["internal_notes"] = True
        if not changed:
            raise InvalidInput(
                "retrospective", "nothing to change", "Give a root cause, a summary or notes"
            )
        self._record("retrospective_described", now, by_id, changed)

    def add_follow_up(
        self,
        title: str,
        *,
        owner_id: int,
        team: str,
        due_at: datetime,
        by_id: int | None,
        now: datetime,
        tracker_url: str | None = None,
    ) -> FollowUp:
        """R-RCA-2: an owner and a due date, or it is a wish rather than an action; mirrored
        in a tracker issue (`tracker_url`), it is done when that issue closes."""
        if due_at <= now:
            raise InvalidInput("due", "is not in the future", "Give a due date after today")
        item = FollowUp(
            title=check_text(title, "title", max_length=500),
            owner_id=owner_id,
            team=check_text(team, "team", max_length=80).lower(),
            due_at=due_at,
            created_at=now,
            tracker_url=parse_link(tracker_url).url if tracker_url else None,
        )
        self.follow_ups.append(item)
        number = len(self.follow_ups)
        self._record(
            "follow_up_added",
            now,
            by_id,
            {
                "number": number,
                "title": item.title,
                "owner_id": owner_id,
                "due_at": due_at.isoformat(),
            },
        )
        return item

    def follow_up(self, number: int) -> FollowUp:
        """Follow-up `number`, counted from 1 as the page shows them."""
        if not 1 <= number <= len(self.follow_ups):
            raise InvalidInput(
                "follow_up",
                f"there is no follow-up {number}",
                f"Give a number from 1 to {len(self.follow_ups)}"
                if self.follow_ups
                else "Add one first",
            )
        return self.follow_ups[number - 1]

    def mark_follow_up(
        self, number: int, done: bool, *, by_id: int | None, now: datetime
    ) -> FollowUp:
        """Tick (or untick) follow-up `number`, counted from 1 as the page shows them."""
        item = self.follow_up(number)
        if item.done == done:
            state = "done" if done else "open"
            raise InvalidInput("follow_up", f"{number} is already {state}", "Nothing to do")
        item.done_at = now if done else None
        kind = "follow_up_done" if done else "follow_up_reopened"
        on_time = item.on_time(now)
        self._record(kind, now, by_id, {"number": number, "on_time": on_time})
        return item

    def ask_tracker_issue(
        self, number: int, target: IssueTarget, *, owner: str, by_id: int | None, now: datetime
    ) -> FollowUp:
        """R-RCA-2: mirror follow-up `number` in a new issue of `target`, created by the worker
        (an outbox message of this change); asked once, and never for a mirrored or done one."""
        item = self.follow_up(number)
        if item.tracker_url:
            raise InvalidInput(
                "follow_up", f"{number} is already mirrored in {item.tracker_url}", "Nothing to do"
            )
        if item.done:
            raise InvalidInput("follow_up", f"{number} is done", "Reopen it first")
        if item.tracker_requested_at is not None:
            raise StateRefused(
                f"an issue for follow-up {number} is already being created; "
                "a failed creation is retried from the outbox"
            )
        assert self.id is not None
        item.tracker_requested_at = now
        lines = issue_lines(
            escalation_id=self.escalation_id,
            number=number,
            owner=owner,
            team=item.team,
            due_at=item.due_at,
        )
        self.pending_messages.append(
            issue_request(
                target,
                title=item.title,
                lines=lines,
                retrospective_id=self.id,
                number=number,
                escalation_id=self.escalation_id,
            )
        )
        data = {"number": number, "tracker": target.tracker.value, "project": target.project}
        self._record("follow_up_tracker_requested", now, by_id, data)
        return item

    def record_tracker_issue(self, number: int, url: str, *, now: datetime) -> bool:
        """The worker created the issue at `url`: the follow-up is mirrored in it from now on.
        False when it already was (a retried delivery records nothing twice)."""
        item = self.follow_up(number)
        mirrored = parse_link(url).url
        if item.tracker_url == mirrored:
            return False
        item.tracker_url = mirrored
        self._record("follow_up_mirrored", now, None, {"number": number, "url": mirrored})
        return True

    def complete(self, *, by_id: int | None, now: datetime) -> None:
        """R-RCA-1: complete once the cause is named, the story told and the misses listed."""
        self._require_open()
        missing = []
        if self.root_cause is None:
            missing.append("a root-cause category")
        if not self.summary:
            missing.append("a summary of what happened and why")
        if not self.missed_opportunities:
            missing.append("at least one missed opportunity: where it could have been caught")
        if missing:
            raise RuleRefused("R-RCA-1", "the retrospective cannot be completed yet", missing)
        self.status, self.completed_at = RetroStatus.COMPLETED, now
        assert self.root_cause is not None
        self._record("retrospective_completed", now, by_id, {"root_cause": self.root_cause.value})

    # ------------------------------------------------------------------ reminders
    def remind(self, addresses: dict[int, str], now: datetime) -> int:
        """R-RCA-2: queue the reminders owed now (`clock.follow_up_reminder`) to each owner's
        address; the number queued. Each reminder is sent once."""
        queued = 0
        for number, item in enumerate(self.follow_ups, start=1):
            if item.done or item.owner_id not in addresses:
                continue
            which = clock.follow_up_reminder(item.due_at, item.reminders_sent, now)
            if which is None:
                continue
            item.reminders_sent = 2 if which == "overdue" else 1
            when = "is overdue" if which == "overdue" else "is due within a day"
            self.pending_messages.append(
                OutboxMessage(
                    MessageKind.INTERNAL_EMAIL,
                    addresses[item.owner_id],
                    {
                        "audience": "internal",
                        "subject": f"Follow-up {when}: {item.title}",
                        "body": (
                            f"The follow-up “{item.title}” from the retrospective of "
                            f"ESC-{self.escalation_id} {when} (due {item.due_at.isoformat()})."
                        ),
                        "escalation_id": self.escalation_id,
                        "follow_up": number,
                        "reminder": which,
                    },
                    Template.REMINDER,
                )
            )
            self._record("follow_up_reminded", now, None, {"number": number, "reminder": which})
            queued += 1
        return queued

    def _require_open(self) -> None:
        if self.completed:
            raise StateRefused("the retrospective is completed; its record no longer changes")

    def _record(self, type_: str, at: datetime, actor_id: int | None, data: dict[str, Any]) -> None:
        self.pending_events.append(Event(type_, at, actor_id, data))


@dataclass(frozen=True)
class Share:
    """R-RCA-2: of the follow-ups that came due, how many were done by their due moment."""

    on_time: int
    due: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.due if self.due else None


def on_time_shares(items: list[tuple[str, FollowUp]], now: datetime) -> dict[str, Share]:
    """Per key (a team, a root-cause category): follow-ups done on time over those due."""
    counts: dict[str, list[int]] = {}
    for key, item in items:
        verdict = item.on_time(now)
        if verdict is None:
            continue
        tally = counts.setdefault(key, [0, 0])
        tally[0] += 1 if verdict else 0
        tally[1] += 1
    return {key: Share(on, due) for key, (on, due) in sorted(counts.items())}
