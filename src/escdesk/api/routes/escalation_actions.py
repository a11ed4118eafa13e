"""Every action on an escalation: one route, one service call, the new state back.

Each takes the version the client last saw (body `version` or header `If-Match`); a stale one
is a 409 problem carrying the current version. The response carries the new `ETag`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Response

from escdesk.api.routes.escalations import EscalationId, etag
from escdesk.api.schemas.escalation_actions import (
    CloseIn,
    EtaIn,
    ExitCriteriaIn,
    MonitorIn,
    OwnerIn,
    ReopenIn,
    SeverityIn,
    UpdateIn,
)
from escdesk.api.schemas.escalations import EscalationOut
from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput
from escdesk.domain.escalation import Escalation
from escdesk.http.deps import RunnerDep, require
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    AssignOwner,
    ChangeExitCriteria,
    ChangeSeverity,
    CloseEscalation,
    MoveToMonitoring,
    PostUpdate,
    ReopenEscalation,
    SetEta,
    Waiver,
    agreement_from,
)

router = APIRouter(prefix="/escalations/{escalation_id}", tags=["escalation actions"])

IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", max_length=40, description="The version you last saw, as its ETag."),
]


Updater = Annotated[Principal, Depends(require(Permission.POST_UPDATE))]
SeverityChanger = Annotated[Principal, Depends(require(Permission.CHANGE_SEVERITY))]
EtaSetter = Annotated[Principal, Depends(require(Permission.SET_ETA))]
CriteriaEditor = Annotated[Principal, Depends(require(Permission.EDIT_EXIT_CRITERIA))]
OwnerManager = Annotated[Principal, Depends(require(Permission.MANAGE_OWNERS))]
Monitor = Annotated[Principal, Depends(require(Permission.MONITOR))]
Closer = Annotated[Principal, Depends(require(Permission.CLOSE))]
Reopener = Annotated[Principal, Depends(require(Permission.REOPEN))]


def expected_version(body_version: int | None, if_match: str | None) -> int | None:
    header = None
    if if_match and if_match.strip() != "*":
        text = if_match.strip().removeprefix("W/").strip('"')
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            raise InvalidInput(
                "If-Match", f"{if_match[:40]!r} is not a version", 'Send the ETag, e.g. "3"'
            )
        header = int(text)
    if body_version is not None and header is not None and body_version != header:
        raise InvalidInput(
            "version", "differs from the If-Match header", "Send one of them, or the same value"
        )
    return body_version if body_version is not None else header


def done(esc: Escalation, principal: Principal, response: Response) -> EscalationOut:
    response.headers["ETag"] = etag(esc.version)
    return EscalationOut.of(esc, internal=principal.can(Permission.READ_INTERNAL))


@router.post("/updates", response_model=EscalationOut)
def post_update(
    escalation_id: EscalationId,
    body: UpdateIn,
    principal: Updater,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Post an internal or customer-facing update (R-ESC-6); internal needs read_internal."""
    version = expected_version(body.version, if_match)
    cmd = PostUpdate(escalation_id, body.audience, body.body, version)
    return done(run.run(service.post_update, cmd, principal.actor), principal, response)


@router.post("/severity", response_model=EscalationOut)
def change_severity(
    escalation_id: EscalationId,
    body: SeverityIn,
    principal: SeverityChanger,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Change the severity (R-ESC-1/7); owners may be named to fit the new level."""
    cmd = ChangeSeverity(
        escalation_id,
        body.severity,
        body.reason,
        dri=body.dri,
        product_dri=body.product_dri,
        product_leader=body.product_leader,
        version=expected_version(body.version, if_match),
    )
    return done(run.run(service.change_severity, cmd, principal.actor), principal, response)


@router.post("/eta", response_model=EscalationOut)
def set_eta(
    escalation_id: EscalationId,
    body: EtaIn,
    principal: EtaSetter,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Set the ETA; every change is kept with its reason so slips show (R-ESC-8)."""
    cmd = SetEta(escalation_id, body.eta, body.reason, expected_version(body.version, if_match))
    return done(run.run(service.set_eta, cmd, principal.actor), principal, response)


@router.post("/exit-criteria", response_model=EscalationOut)
def change_exit_criteria(
    escalation_id: EscalationId,
    body: ExitCriteriaIn,
    principal: CriteriaEditor,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Add criteria and tick or untick them by number (R-ESC-8)."""
    cmd = ChangeExitCriteria(
        escalation_id,
        add=tuple(body.add or ()),
        done=tuple(body.done or ()),
        undone=tuple(body.undone or ()),
        version=expected_version(body.version, if_match),
    )
    return done(run.run(service.change_exit_criteria, cmd, principal.actor), principal, response)


@router.post("/dri", response_model=EscalationOut)
def assign_owner(
    escalation_id: EscalationId,
    body: OwnerIn,
    principal: OwnerManager,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Hand the DRI (or product DRI, product leader) role over, with a reason (R-ESC-2/3)."""
    cmd = AssignOwner(
        escalation_id,
        body.role,
        body.person,
        body.reason,
        expected_version(body.version, if_match),
    )
    return done(run.run(service.assign_owner, cmd, principal.actor), principal, response)


@router.post("/monitor", response_model=EscalationOut)
def move_to_monitoring(
    escalation_id: EscalationId,
    body: MonitorIn,
    principal: Monitor,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Risk reduced to standard process: a key moment (R-ESC-7/9)."""
    cmd = MoveToMonitoring(escalation_id, body.note, expected_version(body.version, if_match))
    return done(run.run(service.move_to_monitoring, cmd, principal.actor), principal, response)


@router.post("/close", response_model=EscalationOut)
def close_escalation(
    escalation_id: EscalationId,
    body: CloseIn,
    principal: Closer,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Close: needs the customer's agreement (who, when, how), every exit criterion done or
    waived with a reason, and an RCA if product related."""
    cmd = CloseEscalation(
        escalation_id,
        agreement_from(body.agreed_by, body.agreed_at, body.agreed_via),
        body.rca_reference,
        expected_version(body.version, if_match),
        sentiment=body.sentiment,
        waivers=tuple(Waiver(w.number, w.reason) for w in body.waivers),
    )
    return done(run.run(service.close_escalation, cmd, principal.actor), principal, response)


@router.post("/reopen", response_model=EscalationOut)
def reopen_escalation(
    escalation_id: EscalationId,
    body: ReopenIn,
    principal: Reopener,
    run: RunnerDep,
    response: Response,
    if_match: IfMatch = None,
) -> EscalationOut:
    """Reopen a monitoring or closed escalation, with a reason (R-ESC-9)."""
    cmd = ReopenEscalation(escalation_id, body.reason, expected_version(body.version, if_match))
    return done(run.run(service.reopen_escalation, cmd, principal.actor), principal, response)
