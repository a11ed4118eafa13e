"""Customer status pages (R-OPS-2): publish an unguessable link, read it without signing in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from escdesk.api.routes.escalation_actions import IfMatch, done, expected_version
from escdesk.api.routes.escalations import EscalationId
from escdesk.api.schemas.escalations import EscalationOut
from escdesk.api.schemas.status import CustomerStatusOut, CustomerSummaryIn, StatusPageOut
from escdesk.config import Settings
from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import NotFound
from escdesk.http.deps import NowDep, RunnerDep, SettingsDep, UowDep, require
from escdesk.services import escalations
from escdesk.services import status_page as service
from escdesk.services.escalation_commands import SetCustomerSummary

router = APIRouter(tags=["status page"])

Publisher = Annotated[Principal, Depends(require(Permission.PUBLISH_STATUS_PAGE))]
PUBLIC_PATH = "/status/{token}"


def _link(escalation_id: int, token: str, settings: Settings) -> StatusPageOut:
    path = PUBLIC_PATH.format(token=token)
    return StatusPageOut(
        escalation_id=escalation_id,
        token=token,
        path=path,
        url=settings.base_url.rstrip("/") + path,
    )


@router.post("/escalations/{escalation_id}/status-page", response_model=StatusPageOut)
def publish(
    escalation_id: EscalationId,
    principal: Publisher,
    uow: UowDep,
    now: NowDep,
    settings: SettingsDep,
) -> StatusPageOut:
    """Publish the customer status page; publishing again returns the same link."""
    token = service.publish(uow, escalation_id, now, by_id=principal.person_id)
    return _link(escalation_id, token, settings)


@router.get("/escalations/{escalation_id}/status-page", response_model=StatusPageOut)
def published_link(
    escalation_id: EscalationId, _: Publisher, uow: UowDep, settings: SettingsDep
) -> StatusPageOut:
    """The current link, to share it again; 404 if the page is not published."""
    token = service.published_token(uow, escalation_id)
    if token is None:
        raise NotFound("status page of escalation", escalation_id)
    return _link(escalation_id, token, settings)


@router.delete("/escalations/{escalation_id}/status-page", status_code=status.HTTP_204_NO_CONTENT)
def unpublish(
    escalation_id: EscalationId, principal: Publisher, uow: UowDep, now: NowDep
) -> Response:
    """Withdraw the page: its link answers 404 from now on; publishing gives a new link."""
    service.unpublish(uow, escalation_id, now, by_id=principal.person_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/escalations/{escalation_id}/customer-summary", response_model=EscalationOut)
def set_customer_summary(
    escalation_id: EscalationId,
    body: CustomerSummaryIn,
    principal: Publisher,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """What the status page and the customer's e-mails say the escalation is about (R-OPS-2)."""
    version = expected_version(body.version, if_match)
    cmd = SetCustomerSummary(escalation_id, body.customer_summary, version)
    esc = run.run(escalations.set_customer_summary, cmd, principal.actor)
    return done(esc, principal, response)


@router.get("/status/{token}", response_model=CustomerStatusOut)
def customer_status(
    token: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    uow: UowDep,
    settings: SettingsDep,
    now: NowDep,
) -> CustomerStatusOut:
    """What the customer sees, without signing in: the customer summary, customer-facing
    updates, exit criteria, ETA — never the internal summary. `next_update` and
    `eta_promise` say whether a promised moment is still ahead (`by`) or owed now (`late`)."""
    return CustomerStatusOut.of(service.status_view(uow, token, now), settings.company_name)
