"""Request bodies of opening an escalation and of every action on one.

Each action body may carry the `version` the client last saw (or send it as `If-Match`): if
someone changed the escalation since, the action is refused with 409 and the current version.
"""

from __future__ import annotations

from pydantic import Field

from escdesk.api.schemas.common import ApiModel, Key, Moment
from escdesk.domain.accounts import Sentiment
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole, Route
from escdesk.domain.records import AgreementChannel, EscalationKind
from escdesk.domain.severity import Severity

TEXT = 10_000


class Versioned(ApiModel):
    version: int | None = Field(
        default=None, ge=0, description="The version you last saw; a mismatch is a 409."
    )


class EscalationIn(ApiModel):
    account: Key = Field(max_length=200, description="The account's name, slug or id.")
    kind: EscalationKind = EscalationKind.ACCOUNT_ESCALATION
    severity: Severity = Field(examples=["high"])
    route: Route = Field(default=Route.SUPPORT, description="How the escalation came in.")
    summary: str = Field(max_length=200)
    initial_ask: str = Field(max_length=TEXT, description="R-ESC-5: what we ask for first.")
    required_skills: list[str] = Field(max_length=50, description="R-ESC-5")
    product_related: bool = False
    exit_criteria: list[str] = Field(default_factory=list, max_length=100)
    eta: Moment | None = None
    dri: Key | None = Field(default=None, description="E-mail or id; by default the R-ESC-2 rule.")
    product_dri: Key | None = None
    product_leader: Key | None = None
    also: bool = Field(
        default=False,
        description="Open it although the customer has an open escalation (else a 409 names it).",
    )


class UpdateIn(Versioned):
    audience: Audience = Field(examples=["customer"])
    body: str = Field(max_length=TEXT)


class SeverityIn(Versioned):
    severity: Severity = Field(examples=["critical"])
    reason: str = Field(max_length=TEXT)
    dri: Key | None = None
    product_dri: Key | None = None
    product_leader: Key | None = None


class EtaIn(Versioned):
    eta: Moment
    reason: str = Field(max_length=TEXT)


class ExitCriteriaIn(Versioned):
    add: list[str] = Field(default_factory=list, max_length=100)
    done: list[int] = Field(default_factory=list, max_length=100, description="Numbers from 1.")
    undone: list[int] = Field(default_factory=list, max_length=100)


class OwnerIn(Versioned):
    role: OwnerRole = OwnerRole.DRI
    person: Key = Field(max_length=320, description="The new owner's e-mail or id.")
    reason: str = Field(max_length=TEXT)


class MonitorIn(Versioned):
    note: str = Field(max_length=TEXT, description="Why the risk is reduced.")


class WaiverIn(ApiModel):
    number: int = Field(ge=1, le=100_000, description="The open exit criterion, counted from 1.")
    reason: str = Field(
        max_length=2_000, description="Why the customer agreed to close without it; they read it."
    )


class CloseIn(Versioned):
    agreed_by: str | None = Field(default=None, max_length=200)
    agreed_at: Moment | None = None
    agreed_via: AgreementChannel | None = None
    rca_reference: str | None = Field(default=None, max_length=500)
    sentiment: Sentiment | None = Field(
        default=None, description="The account's sentiment as the escalation ends (seed 004)."
    )
    waivers: list[WaiverIn] = Field(
        default_factory=list,
        max_length=100,
        description="R-ESC-9: each exit criterion still open at closing, waived with a reason.",
    )


class ReopenIn(Versioned):
    reason: str = Field(max_length=TEXT)
