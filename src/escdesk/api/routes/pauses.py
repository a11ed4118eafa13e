"""Waiting on the customer (R-SLA-2): `POST …/wait-on-customer` pauses the customer-update
clock, `POST …/customer-answered` resumes it."""

from __future__ import annotations

from fastapi import APIRouter, Response
from pydantic import Field

from escdesk.api.deps import RunnerDep
from escdesk.api.routes.escalation_actions import IfMatch, Updater, done, expected_version
from escdesk.api.routes.escalations import EscalationId
from escdesk.api.schemas.common import ApiModel, SafeStr
from escdesk.api.schemas.escalations import EscalationOut
from escdesk.services import pauses as service

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
