"""The typed commands and queries of intake and triage: what a face hands to the runner.

`FileRequest.parse` turns the words of a form, a flag or a JSON field into typed values; a value
that is there but wrong is refused at once (naming its field), while values left empty stay None
so the domain can name *every* missing field together (R-INT-2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from escdesk.domain.accounts import AccountStatus, parse_choice
from escdesk.domain.errors import InvalidInput
from escdesk.domain.records import EscalationKind
from escdesk.domain.request import Difficulty, ProblemType, RequestStatus
from escdesk.domain.severity import Severity, parse_severity
from escdesk.domain.triage_meeting import DEFAULT_TRIAGE, TriageConfig
from escdesk.services.listing import Order

REQUEST_ORDERS = ("id", "customer", "summary", "status", "type", "severity", "filed")
"""What the request list sorts by (the score is worked out after the page is read)."""

KIND_WORDS = {"account": "account_escalation", "star": "ticket_attention_request"}


def _choice(enum: Any, value: str | None, field: str) -> Any:
    if value is None or not str(value).strip():
        return None
    return parse_choice(enum, str(value), field)


def _yes_no(value: str | bool | None, field: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = value.strip().lower()
    if not text:
        return None
    if text in ("yes", "y", "true", "1", "on", "confirmed"):
        return True
    if text in ("no", "n", "false", "0", "off", "unconfirmed"):
        return False
    raise InvalidInput(field, f"{value!r} is neither yes nor no", "Answer yes or no")


def _date(value: str | date | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a date", "Write it as 2026-12-31") from None


def _count(value: str | int | None, field: str) -> int | None:
    if value is None or isinstance(value, int):
        return value
    text = value.strip().replace(",", "").replace("_", "")
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidInput(field, f"{value!r} is not a whole number", "Write digits only") from None


@dataclass(frozen=True)
class TicketLink:
    """A ticket as written: a helpdesk id (matched to an imported ticket when there is one),
    optionally with its URL."""

    key: str
    url: str | None = None

    @classmethod
    def parse(cls, text: str) -> TicketLink:
        """`4711`, `zendesk:4711`, or `4711 https://helpdesk.example/tickets/4711`."""
        parts = text.strip().split(None, 1)
        if not parts:
            raise InvalidInput("tickets", "an empty ticket", "Give a ticket id, then its URL")
        url = parts[1].strip() if len(parts) > 1 else None
        if url and not url.startswith(("http://", "https://")):
            raise InvalidInput("tickets", f"{url!r} is not a URL", "Give an http(s) address")
        if len(parts[0]) > 200:
            raise InvalidInput("tickets", "a ticket id is too long", "Use the helpdesk's id")
        return cls(parts[0], url)


@dataclass(frozen=True)
class FileRequest:
    account: str | None
    kind: EscalationKind | None
    problem: str | None
    problem_type: ProblemType | None
    proposed_severity: Severity | None
    workarounds: str | None
    difficulty: Difficulty | None
    dependencies: str | None
    other_customers: int | None
    happiness_confirmed: bool | None
    business: AccountStatus | None = None  # default: the account's status
    arr: int | None = None  # default: the account's ARR
    deal_size: int | None = None  # default: the account's deal size
    expected_close: date | None = None
    tickets: tuple[TicketLink, ...] = ()
    skills: tuple[str, ...] = ()
    similar_accounts: int = 0  # see services.requests.with_similar_accounts

    @classmethod
    def parse(
        cls,
        *,
        account: str | None = None,
        kind: str | None = None,
        problem: str | None = None,
        problem_type: str | None = None,
        proposed_severity: str | None = None,
        workarounds: str | None = None,
        difficulty: str | None = None,
        dependencies: str | None = None,
        other_customers: str | int | None = None,
        happiness_confirmed: str | bool | None = None,
        business: str | None = None,
        arr: str | int | None = None,
        deal_size: str | int | None = None,
        expected_close: str | date | None = None,
        tickets: Sequence[str] = (),
        skills: Sequence[str] = (),
    ) -> FileRequest:
        kind_word = KIND_WORDS.get((kind or "").strip().lower(), kind)
        return cls(
            account=(account or "").strip() or None,
            kind=_choice(EscalationKind, kind_word, "kind"),
            problem=problem,
            problem_type=_choice(ProblemType, problem_type, "problem_type"),
            proposed_severity=(
                parse_severity(proposed_severity, "proposed_severity")
                if proposed_severity and proposed_severity.strip()
                else None
            ),
            workarounds=workarounds,
            difficulty=_choice(Difficulty, difficulty, "difficulty"),
            dependencies=dependencies,
            other_customers=_count(other_customers, "other_customers"),
            happiness_confirmed=_yes_no(happiness_confirmed, "happiness_confirmed"),
            business=_choice(AccountStatus, business, "business"),
            arr=_count(arr, "arr"),
            deal_size=_count(deal_size, "deal_size"),
            expected_close=_date(expected_close, "expected_close"),
            tickets=tuple(TicketLink.parse(t) for t in tickets if t.strip()),
            skills=tuple(s for s in skills if s.strip()),
        )


@dataclass(frozen=True)
class ListRequests:
    status: RequestStatus | None = None
    account: str | None = None
    limit: int = 100
    triage: TriageConfig = DEFAULT_TRIAGE
    order: Order | None = None
    """One of REQUEST_ORDERS; without one, newest first."""
    offset: int = 0

    @classmethod
    def parse(cls, *, status: str | None = None, **values: Any) -> ListRequests:
        return cls(status=_choice(RequestStatus, status, "status"), **values)


@dataclass(frozen=True)
class ShowRequest:
    request_id: int
    triage: TriageConfig = DEFAULT_TRIAGE


@dataclass(frozen=True)
class WithdrawRequest:
    request_id: int
    reason: str
    version: int | None = None


@dataclass(frozen=True)
class DecideRequest:
    """R-TRI-3: the outcome and its rationale, with what that outcome needs.

    escalate: severity (default: the proposed one), ETA, initial ask and skills (default: the
    request's), DRI (default: by rule); schedule: the release; education: the gap, its owner
    and due date.
    """

    request_id: int
    outcome: RequestStatus
    rationale: str
    release: str | None = None
    severity: Severity | None = None
    eta: datetime | None = None
    initial_ask: str | None = None
    skills: tuple[str, ...] = ()
    dri: str | None = None
    gap: str | None = None
    owner: str | None = None
    due: datetime | None = None
    meeting_id: int | None = None
    version: int | None = None
    triage: TriageConfig = DEFAULT_TRIAGE

    @classmethod
    def parse(cls, *, outcome: str, severity: str | None = None, **values: Any) -> DecideRequest:
        chosen = parse_choice(RequestStatus, outcome, "outcome")
        if chosen in (RequestStatus.PENDING, RequestStatus.WITHDRAWN):
            raise InvalidInput(
                "outcome",
                f"{chosen.value} is not a decision",
                "Use escalated, scheduled, backlog or education",
            )
        return cls(
            outcome=chosen,
            severity=parse_severity(severity) if severity else None,
            **values,
        )


@dataclass(frozen=True)
class TriageAgenda:
    triage: TriageConfig = DEFAULT_TRIAGE


@dataclass(frozen=True)
class RecordMeeting:
    """Meeting mode: who attended, and the notes; decisions name the meeting they were made at."""

    attendees: tuple[str, ...]
    notes: str = ""


@dataclass(frozen=True)
class ShowMeeting:
    meeting_id: int


@dataclass(frozen=True)
class SimilarToRequest:
    """Requests and open escalations like this text (a request's, or one being written)."""

    text: str
    exclude_request_id: int | None = None


@dataclass(frozen=True)
class LinkDuplicate:
    """The request is a duplicate of an earlier request or an open escalation: `of` is REQ-n
    or ESC-n. It leaves the agenda, withdrawn, naming what it duplicates."""

    request_id: int
    of: str
    version: int | None = None
