"""The small records an escalation keeps: updates, exit criteria, ETA and owner changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole
from escdesk.domain.errors import InvalidInput


class EscalationKind(StrEnum):
    ACCOUNT_ESCALATION = "account_escalation"
    TICKET_ATTENTION_REQUEST = "ticket_attention_request"


class Status(StrEnum):
    """R-ESC-9: opened → active → monitoring (risk reduced) → closed; reopening is allowed."""

    OPENED = "opened"
    ACTIVE = "active"
    MONITORING = "monitoring"
    CLOSED = "closed"


class AgreementChannel(StrEnum):
    """How the customer said the situation is resolved (seed 004: an issue or an e-mail)."""

    EMAIL = "email"
    CALL = "call"
    MEETING = "meeting"
    TICKET = "ticket"
    ISSUE = "issue"


@dataclass
class Update:
    audience: Audience
    body: str
    author_id: int | None
    posted_at: datetime
    id: int | None = None


@dataclass
class ExitCriterion:
    """One condition for closing; an open one may be waived at closing, with a reason and who
    waived it (R-ESC-9), so the customer never sees "Closed" beside an unticked item unexplained."""

    text: str
    done: bool = False
    done_at: datetime | None = None
    id: int | None = None
    waived_reason: str | None = None
    waived_at: datetime | None = None
    waived_by_id: int | None = None

    @property
    def waived(self) -> bool:
        return self.waived_reason is not None

    @property
    def settled(self) -> bool:
        """Done, or waived: nothing about it holds the closing back."""
        return self.done or self.waived


@dataclass(frozen=True)
class EtaChange:
    changed_at: datetime
    old_eta: datetime | None
    new_eta: datetime
    reason: str
    by_id: int | None

    @property
    def slipped(self) -> bool:
        """A slip is an ETA moved later (R-ESC-8): the history makes them visible."""
        return self.old_eta is not None and self.new_eta > self.old_eta


@dataclass(frozen=True)
class OwnerChange:
    role: OwnerRole
    old_id: int | None
    new_id: int | None
    reason: str
    by_id: int | None
    changed_at: datetime


@dataclass(frozen=True)
class CustomerAgreement:
    """R-ESC-9: who at the customer agreed the situation is resolved, when, and how."""

    who: str
    when: datetime
    how: AgreementChannel

    def check(self, opened_at: datetime, now: datetime) -> None:
        if not self.who.strip():
            raise InvalidInput("agreed_by", "must not be empty", "Name who at the customer agreed")
        if self.when > now:
            raise InvalidInput(
                "agreed_at", "is in the future", "Give the moment the customer agreed"
            )
        if self.when < opened_at:
            raise InvalidInput(
                "agreed_at",
                "is before the escalation opened",
                "Give the moment the customer agreed to close it",
            )
