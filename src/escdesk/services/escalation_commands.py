"""The typed commands and queries of escalations: what a face hands to the runner.

Faces parse their input (flags, form fields, JSON, chat text) into these values; handlers in
`services.escalations` take them with the actor. People and accounts are named by a key (e-mail
or id; name or id), resolved inside the unit of work so that a lookup and the change it leads
to see the same data. `version` is the version the actor last saw; a stale one is a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from escdesk.domain.accounts import Sentiment, parse_choice
from escdesk.domain.clock import Audience
from escdesk.domain.closing import Waiver as Waiver  # faces build waivers with the command
from escdesk.domain.dri import OwnerRole, Route
from escdesk.domain.errors import InvalidInput, Need, RuleRefused
from escdesk.domain.records import AgreementChannel, CustomerAgreement, EscalationKind, Status
from escdesk.domain.severity import Severity, parse_severity
from escdesk.services.listing import Order


@dataclass(frozen=True)
class OpenEscalation:
    account: str
    kind: EscalationKind
    severity: Severity
    route: Route
    summary: str
    initial_ask: str
    required_skills: tuple[str, ...] = ()
    product_related: bool = False
    exit_criteria: tuple[str, ...] = ()
    dri: str | None = None
    product_dri: str | None = None
    product_leader: str | None = None
    eta: datetime | None = None
    also: bool = False  # seed 004: a second open escalation of the customer is meant

    @classmethod
    def parse(
        cls,
        *,
        kind: str,
        severity: str,
        route: str,
        required_skills: Sequence[str] = (),
        exit_criteria: Sequence[str] = (),
        **values: Any,
    ) -> OpenEscalation:
        """From the words of a form or the command line; errors name the field."""
        return cls(
            kind=parse_choice(EscalationKind, kind, "kind"),
            severity=parse_severity(severity),
            route=parse_choice(Route, route, "route"),
            required_skills=tuple(required_skills),
            exit_criteria=tuple(exit_criteria),
            **values,
        )


@dataclass(frozen=True)
class PostUpdate:
    escalation_id: int
    audience: Audience
    body: str
    version: int | None = None


@dataclass(frozen=True)
class ChangeSeverity:
    escalation_id: int
    severity: Severity
    reason: str
    dri: str | None = None
    product_dri: str | None = None
    product_leader: str | None = None
    version: int | None = None


@dataclass(frozen=True)
class AssignOwner:
    escalation_id: int
    role: OwnerRole
    person: str
    reason: str
    version: int | None = None


@dataclass(frozen=True)
class SetEta:
    escalation_id: int
    eta: datetime
    reason: str
    version: int | None = None


@dataclass(frozen=True)
class ChangeExitCriteria:
    escalation_id: int
    add: tuple[str, ...] = ()
    done: tuple[int, ...] = ()
    undone: tuple[int, ...] = ()
    version: int | None = None


@dataclass(frozen=True)
class SetCustomerSummary:
    """What the customer reads the escalation is about, on the status page and in e-mails."""

    escalation_id: int
    text: str
    version: int | None = None


@dataclass(frozen=True)
class MoveToMonitoring:
    escalation_id: int
    note: str
    version: int | None = None


@dataclass(frozen=True)
class CloseEscalation:
    escalation_id: int
    agreement: CustomerAgreement | None = None
    rca_reference: str | None = None
    version: int | None = None
    sentiment: Sentiment | None = None  # seed 004: the account's sentiment as it ends
    waivers: tuple[Waiver, ...] = ()  # open exit criteria let go, each with a reason (R-ESC-9)


@dataclass(frozen=True)
class ReopenEscalation:
    escalation_id: int
    reason: str
    version: int | None = None


# ---------------------------------------------------------------------- queries
@dataclass(frozen=True)
class ListEscalations:
    severity: Severity | None = None
    status: Status | None = None
    dri: str | None = None
    account: str | None = None
    include_closed: bool = False
    overdue_at: datetime | None = None
    limit: int = 100
    offset: int = 0
    order: Order | None = None

    @classmethod
    def parse(
        cls, *, severity: str | None = None, status: str | None = None, **values: Any
    ) -> ListEscalations:
        return cls(
            severity=parse_severity(severity) if severity else None,
            status=parse_choice(Status, status, "status") if status else None,
            **values,
        )


@dataclass(frozen=True)
class DueEscalations:
    within: timedelta
    dri: str | None = None
    limit: int = 1000


@dataclass(frozen=True)
class ShowEscalation:
    escalation_id: int


@dataclass(frozen=True)
class EscalationHistory:
    escalation_id: int
    limit: int = 1000
    after_id: int = 0


def agreement_from(
    agreed_by: str | None, agreed_at: datetime | None, agreed_via: str | None
) -> CustomerAgreement | None:
    """R-ESC-9: the customer's agreement is who, when and how — all three, or none yet."""
    parts = {"agreed_by": agreed_by, "agreed_at": agreed_at, "agreed_via": agreed_via}
    given = {name: value for name, value in parts.items() if value}
    if not given:
        return None
    if len(given) < len(parts):
        words = {"agreed_by": "who agreed", "agreed_at": "when", "agreed_via": "how"}
        missing = [Need(words[name], (name,)) for name in parts if name not in given]
        raise RuleRefused("R-ESC-9", "the customer's agreement needs who, when and how", missing)
    assert agreed_by and agreed_at and agreed_via
    return CustomerAgreement(
        agreed_by.strip(), agreed_at, parse_choice(AgreementChannel, agreed_via, "agreed_via")
    )


def waiver_from(text: str) -> Waiver:
    """`2=reason` (or `2: reason`), as the command line and chat write a waiver."""
    for separator in ("=", ":"):
        number, found, reason = text.partition(separator)
        number = number.strip().removeprefix("#")
        if found and number.isascii() and number.isdigit() and len(number) <= 6:
            return Waiver(int(number), reason)
    raise InvalidInput(
        "waivers",
        f"{text[:40]!r} is not a waiver",
        'Write the criterion\'s number, "=" and the reason, e.g. 2="moved to the Q3 plan"',
    )
