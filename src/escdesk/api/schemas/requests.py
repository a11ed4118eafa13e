"""Request bodies of intake and triage (R-INT-1, R-TRI-1/3).

What the meeting needs is optional *here* on purpose: the domain checks the whole request at
once and names every missing field in one problem document (R-INT-2), which a schema that
stopped at the first missing field could not.
"""

from __future__ import annotations

from datetime import date

from pydantic import Field

from escdesk.api.schemas.common import ApiModel, Key, Moment
from escdesk.domain.accounts import AccountStatus
from escdesk.domain.request import Difficulty, ProblemType
from escdesk.domain.severity import Severity

TEXT = 10_000


class TicketIn(ApiModel):
    id: str = Field(min_length=1, max_length=200, description="The helpdesk's ticket id.")
    url: str | None = Field(default=None, max_length=1000)


class RequestIn(ApiModel):
    account: Key | None = Field(default=None, max_length=200)
    kind: str | None = Field(
        default=None, max_length=40, description="account_escalation or ticket_attention_request."
    )
    problem: str | None = Field(default=None, max_length=TEXT)
    problem_type: ProblemType | None = None
    proposed_severity: Severity | None = None
    workarounds: str | None = Field(default=None, max_length=TEXT)
    difficulty: Difficulty | None = None
    dependencies: str | None = Field(default=None, max_length=TEXT)
    business: AccountStatus | None = Field(default=None, description="Default: the account's.")
    arr: int | None = Field(default=None, ge=0, le=10**15)
    deal_size: int | None = Field(default=None, ge=0, le=10**15)
    expected_close: date | None = None
    other_customers: int | None = Field(default=None, ge=0, le=10**9)
    happiness_confirmed: bool | None = None
    tickets: list[TicketIn] = Field(default_factory=list, max_length=100)
    skills: list[str] = Field(default_factory=list, max_length=50)


class WithdrawIn(ApiModel):
    reason: str = Field(min_length=1, max_length=TEXT)
    version: int | None = Field(default=None, ge=0)


class DuplicateIn(ApiModel):
    of: str = Field(min_length=5, max_length=20, description="REQ-7 or ESC-12.")
    version: int | None = Field(default=None, ge=0)


class DecisionIn(ApiModel):
    outcome: str = Field(max_length=20, description="escalated, scheduled, backlog or education.")
    rationale: str = Field(max_length=TEXT, description="R-TRI-3: required.")
    release: str | None = Field(default=None, max_length=100)
    severity: Severity | None = None
    eta: Moment | None = None
    initial_ask: str | None = Field(default=None, max_length=TEXT)
    skills: list[str] = Field(default_factory=list, max_length=50)
    dri: Key | None = None
    gap: str | None = Field(default=None, max_length=2000)
    owner: Key | None = None
    due: Moment | None = None
    meeting_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    version: int | None = Field(default=None, ge=0)


class MeetingIn(ApiModel):
    attendees: list[Key] = Field(min_length=1, max_length=100)
    notes: str = Field(default="", max_length=TEXT)
