"""The escalation request (R-INT-1/2, seed 000): what Sales or Support raise before an escalation.

A request carries everything the triage meeting needs to decide yes or no: what is wrong, why
the workarounds fall short, how hard the fix is and what it depends on, and what the business
stands to gain. Filing refuses, naming *every* missing field at once, so a requester fixes the
form in one go and nothing half-written is ever stored (R-INT-2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from escdesk.domain.accounts import AccountStatus
from escdesk.domain.errors import InvalidInput, Need, RuleRefused, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.messages import OutboxMessage
from escdesk.domain.records import EscalationKind
from escdesk.domain.severity import Severity

MAX_TEXT = 10_000


class ProblemType(StrEnum):
    BUG = "bug"
    ENHANCEMENT = "enhancement"  # or a new feature
    EDUCATION = "education"
    CONFIGURATION = "configuration"


class Difficulty(StrEnum):
    """The requester's estimate of the fix; the meeting weighs it as what the work would delay."""

    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    UNKNOWN = "unknown"


class RequestStatus(StrEnum):
    PENDING = "pending"  # waiting for the triage meeting
    ESCALATED = "escalated"
    SCHEDULED = "scheduled"
    BACKLOG = "backlog"
    EDUCATION = "education"
    WITHDRAWN = "withdrawn"

    @property
    def is_open(self) -> bool:
        """Still waits for a decision (a withdrawn request is done without one)."""
        return self is RequestStatus.PENDING


@dataclass(frozen=True)
class LinkedTicket:
    """A ticket the request is about: an imported one (by id) or one named by the helpdesk."""

    ticket_id: int | None = None
    external_id: str | None = None
    url: str | None = None

    @property
    def label(self) -> str:
        if self.external_id:
            return self.external_id
        return f"ticket {self.ticket_id}"


@dataclass(frozen=True)
class BusinessContext:
    """Seed 000: paying customer, pending big deal or doubtful prospect, and the money at stake."""

    status: AccountStatus
    arr: int = 0
    deal_size: int | None = None
    expected_close: date | None = None

    @property
    def amount(self) -> int:
        """What the score weighs: the ARR of a paying customer, the deal size otherwise."""
        if self.status is AccountStatus.PAYING:
            return self.arr
        return self.deal_size or 0


@dataclass(frozen=True)
class RequestDraft:
    """What a requester wrote, before it is checked; None means left empty."""

    account_id: int | None
    kind: EscalationKind | None
    problem: str | None
    problem_type: ProblemType | None
    proposed_severity: Severity | None
    workarounds: str | None
    difficulty: Difficulty | None
    dependencies: str | None
    business: BusinessContext | None
    other_customers: int | None
    happiness_confirmed: bool | None
    tickets: tuple[LinkedTicket, ...] = ()
    skills: tuple[str, ...] = ()
    similar_accounts: int = 0  # other accounts with similar earlier tickets, when filed


REQUIRED = (
    "account",
    "kind",
    "problem",
    "problem_type",
    "proposed_severity",
    "workarounds",
    "difficulty",
    "dependencies",
    "business",
    "other_customers",
    "happiness_confirmed",
)
"""R-INT-1: what the meeting needs; the domain names fields, each face spells them its way."""


NEEDED = {
    "account": "the account",
    "kind": "what kind of request it is",
    "problem": "the problem statement",
    "problem_type": "the type (bug, enhancement, education, configuration)",
    "proposed_severity": "the proposed severity",
    "workarounds": "the workarounds tried and why they fall short",
    "difficulty": "the estimated difficulty",
    "dependencies": "the downstream dependencies (or “none”)",
    "business": "the business context",
    "other_customers": "how many other customers are affected",
    "happiness_confirmed": "whether a fix is confirmed to make the customer happy",
    "tickets": "the slow ticket",
    "deal_size": "the deal size",
    "expected_close": "the deal's expected close date",
    "gap": "the documentation or training gap",
    "owner": "its owner",
    "due": "its due date",
}
"""How the meeting's needs read, whatever face shows them (each face spells the field)."""


def need(field_name: str) -> Need:
    return Need(NEEDED[field_name], (field_name,))


def missing_fields(draft: RequestDraft) -> list[str]:
    """R-INT-2: every field the meeting needs that the draft leaves empty, in form order."""
    values = {
        "account": draft.account_id,
        "kind": draft.kind,
        "problem": (draft.problem or "").strip() or None,
        "problem_type": draft.problem_type,
        "proposed_severity": draft.proposed_severity,
        "workarounds": (draft.workarounds or "").strip() or None,
        "difficulty": draft.difficulty,
        "dependencies": (draft.dependencies or "").strip() or None,
        "business": draft.business,
        "other_customers": draft.other_customers,
        "happiness_confirmed": draft.happiness_confirmed,
    }
    missing = [name for name in REQUIRED if values[name] is None]
    if draft.kind is EscalationKind.TICKET_ATTENTION_REQUEST and not draft.tickets:
        missing.append("tickets")
    business = draft.business
    if business is not None and business.status is AccountStatus.PENDING_DEAL:
        if not business.deal_size:
            missing.append("deal_size")
        if business.expected_close is None:
            missing.append("expected_close")
    return missing


def _text(value: str | None, name: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise InvalidInput(name, f"is longer than {MAX_TEXT} characters", "Shorten it")
    return text


@dataclass
class Decision:
    """R-TRI-3: one decision of the meeting, with its rationale; a re-triage adds another."""

    outcome: RequestStatus
    rationale: str
    by_id: int | None
    at: datetime
    release: str | None = None
    escalation_id: int | None = None
    education_id: int | None = None
    meeting_id: int | None = None
    id: int | None = None


@dataclass
class EscalationRequest:
    """The aggregate: the request, its linked tickets and its decisions, oldest first."""

    account_id: int
    kind: EscalationKind
    problem: str
    problem_type: ProblemType
    proposed_severity: Severity
    workarounds: str
    difficulty: Difficulty
    dependencies: str
    business: BusinessContext
    other_customers: int
    happiness_confirmed: bool
    requester_id: int | None
    filed_at: datetime
    tickets: list[LinkedTicket] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    similar_accounts: int = 0
    status: RequestStatus = RequestStatus.PENDING
    decisions: list[Decision] = field(default_factory=list)
    withdrawn_reason: str | None = None
    id: int | None = None
    version: int = 0
    pending_events: list[Event] = field(default_factory=list)
    pending_messages: list[OutboxMessage] = field(default_factory=list)

    @classmethod
    def file(
        cls, draft: RequestDraft, *, requester_id: int | None, now: datetime
    ) -> EscalationRequest:
        """R-INT-2: refused with every missing field named; otherwise a pending request."""
        missing = missing_fields(draft)
        if missing:
            raise RuleRefused(
                "R-INT-2", "the triage meeting needs these to decide", [need(m) for m in missing]
            )
        assert draft.account_id is not None and draft.kind and draft.problem_type
        assert draft.proposed_severity and draft.difficulty and draft.business
        assert draft.other_customers is not None and draft.happiness_confirmed is not None
        if draft.other_customers < 0:
            raise InvalidInput("other_customers", "must not be negative", "Give 0 or more")
        request = cls(
            account_id=draft.account_id,
            kind=draft.kind,
            problem=_text(draft.problem, "problem"),
            problem_type=draft.problem_type,
            proposed_severity=draft.proposed_severity,
            workarounds=_text(draft.workarounds, "workarounds"),
            difficulty=draft.difficulty,
            dependencies=_text(draft.dependencies, "dependencies"),
            business=draft.business,
            other_customers=draft.other_customers,
            happiness_confirmed=draft.happiness_confirmed,
            requester_id=requester_id,
            filed_at=now,
            tickets=list(draft.tickets),
            skills=[s.strip() for s in draft.skills if s.strip()],
            similar_accounts=max(0, draft.similar_accounts),
        )
        request.pending_events.append(
            Event("request_filed", now, requester_id, {"kind": draft.kind.value})
        )
        return request

    @property
    def summary(self) -> str:
        """The problem's first line, as short as an escalation's summary must be."""
        first = self.problem.strip().splitlines()[0] if self.problem.strip() else ""
        return first if len(first) <= 200 else first[:197] + "…"

    @property
    def decision(self) -> Decision | None:
        return self.decisions[-1] if self.decisions else None

    def time_to_decision(self) -> float | None:
        """R-TRI-1: hours from filing to the first decision (re-triage does not reset it)."""
        if not self.decisions:
            return None
        return (self.decisions[0].at - self.filed_at).total_seconds() / 3600

    def check_decidable(self, rationale: str | None) -> str:
        """R-TRI-3: a decision needs a rationale, and a request still open to one; checked
        before anything the decision would create (an escalation, an education item)."""
        if self.status is RequestStatus.WITHDRAWN:
            raise StateRefused(f"request REQ-{self.id} was withdrawn; file it again to triage")
        if self.status is RequestStatus.ESCALATED:
            raise StateRefused(
                f"request REQ-{self.id} is already escalation ESC-{self.decision.escalation_id}"
                if self.decision
                else f"request REQ-{self.id} is already escalated"
            )
        text = (rationale or "").strip()
        if not text:
            raise InvalidInput("rationale", "must not be empty", "Say why the meeting decided so")
        return _text(text, "rationale")

    def decide(self, decision: Decision, notice: OutboxMessage | None) -> None:
        """R-TRI-3: record the decision (a re-triage keeps the earlier ones) and queue the
        requester's notice in the same change (R-TRI-4)."""
        decision.rationale = self.check_decidable(decision.rationale)
        self.decisions.append(decision)
        self.status = decision.outcome
        data = {"outcome": decision.outcome.value, "rationale": decision.rationale}
        if decision.release:
            data["release"] = decision.release
        if decision.escalation_id:
            data["escalation_id"] = str(decision.escalation_id)
        self.pending_events.append(Event("request_decided", decision.at, decision.by_id, data))
        if notice is not None:
            self.pending_messages.append(notice)

    def withdraw(self, reason: str, *, by_id: int | None, now: datetime) -> None:
        if not self.status.is_open:
            raise StateRefused(
                f"request REQ-{self.id} is {self.status.value}; only a pending one is withdrawn"
            )
        text = (reason or "").strip()
        if not text:
            raise InvalidInput("reason", "must not be empty", "Say why it is withdrawn")
        self.status = RequestStatus.WITHDRAWN
        self.withdrawn_reason = _text(text, "reason")
        self.pending_events.append(Event("request_withdrawn", now, by_id, {"reason": text}))
