"""The clocks of an escalation: `POST …/wait-on-customer` pauses the customer-update clock and
`POST …/customer-answered` resumes it (R-SLA-2); `POST …/standup` sets up the internal standup
cadence (R-ESC-10)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import Field

from escdesk.api.routes.escalation_actions import IfMatch, Updater, done, expected_version
from escdesk.api.routes.escalations import EscalationId
from escdesk.api.schemas.common import ApiModel, SafeStr
from escdesk.api.schemas.escalations import EscalationOut
from escdesk.domain.standups import StandupPlan
from escdesk.http.deps import RunnerDep
from escdesk.services import pauses as service
from escdesk.services import standups

router = APIRouter(prefix="/escalations/{escalation_id}", tags=["escalation actions"])


class WaitIn(ApiModel):
    reason: SafeStr = Field(min_length=1, max_length=2000, examples=["Waiting for the HAR file"])
    version: int | None = Field(default=None, ge=0)


class AnsweredIn(ApiModel):
    version: int | None = Field(default=None, ge=0)


@router.post("/wait-on-customer", response_model=EscalationOut)
def wait_on_customer(
    escalation_id: EscalationId,
    body: WaitIn,
    principal: Updater,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Pause the customer-update clock until the customer answers (R-SLA-2)."""
    cmd = service.WaitOnCustomer(
        escalation_id, body.reason, expected_version(body.version, if_match)
    )
    return done(run.run(service.wait_on_customer, cmd, principal.actor), principal, response)


@router.post("/customer-answered", response_model=EscalationOut)
def customer_answered(
    escalation_id: EscalationId,
    body: AnsweredIn,
    principal: Updater,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """The customer answered: the customer-update clock runs again (R-SLA-2)."""
    cmd = service.CustomerAnswered(escalation_id, version=expected_version(body.version, if_match))
    return done(run.run(service.customer_answered, cmd, principal.actor), principal, response)


class StandupIn(ApiModel):
    days: SafeStr = Field(max_length=40, examples=["mon,thu"])
    time: SafeStr = Field(max_length=5, examples=["09:15"])
    timezone: SafeStr = Field(max_length=64, examples=["Europe/Berlin"])
    attendees: list[SafeStr] = Field(default_factory=list, max_length=100)
    version: int | None = Field(default=None, ge=0)


@router.post("/standup", response_model=EscalationOut)
def set_standup(
    escalation_id: EscalationId,
    body: StandupIn,
    principal: Updater,
    run: RunnerDep,
    response: Response,
    request: Request,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Set up the internal standup cadence; the attendees get a calendar invitation."""
    plan = StandupPlan.parse(
        days=body.days, at=body.time, timezone=body.timezone, attendees=body.attendees
    )
    base = request.app.state.settings.base_url.rstrip("/")
    cmd = standups.SetStandup(
        escalation_id,
        plan,
        f"{base}/escalations/{escalation_id}/tracker",
        expected_version(body.version, if_match),
    )
    return done(run.run(standups.set_standup, cmd, principal.actor), principal, response)
