"""Engineering links of escalations, requests and recurring issues (Jira, GitHub, GitLab)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from escdesk.api.schemas.common import MAX_ID, ApiModel, SafeStr
from escdesk.domain.access import Permission, Principal
from escdesk.domain.engineering_links import EngineeringLink
from escdesk.http.deps import RunnerDep, require
from escdesk.services import links as service

router = APIRouter(tags=["engineering links"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Poster = Annotated[Principal, Depends(require(Permission.POST_UPDATE))]
Keeper = Annotated[Principal, Depends(require(Permission.MANAGE_RECURRING))]
EscalationId = Annotated[int, Path(ge=1, le=MAX_ID)]
IssueKey = Annotated[int, Path(ge=1, le=MAX_ID)]


class LinkIn(ApiModel):
    url: SafeStr


class LinkOut(BaseModel):
    id: int
    subject_type: str
    subject_id: int
    url: str
    tracker: str
    kind: str
    key: str
    state: str
    remote_status: str | None
    checked_at: datetime | None
    closed_at: datetime | None

    @classmethod
    def of(cls, link: EngineeringLink) -> LinkOut:
        p = link.parsed
        return cls(
            id=link.id or 0,
            subject_type=link.subject_type,
            subject_id=link.subject_id,
            url=p.url,
            tracker=p.tracker.value,
            kind=p.kind.value,
            key=p.key,
            state=link.state.value,
            remote_status=link.remote_status,
            checked_at=link.checked_at,
            closed_at=link.closed_at,
        )


class LinkList(BaseModel):
    items: list[LinkOut]


def _listed(run: RunnerDep, subject: str, subject_id: int, principal: Principal) -> LinkList:
    found = run.read(service.list_links, service.ListLinks(subject, subject_id), principal.actor)
    return LinkList(items=[LinkOut.of(link) for link in found])


def _linked(run: RunnerDep, subject: str, subject_id: int, url: str, who: Principal) -> LinkOut:
    cmd = service.AddLink(subject, subject_id, url)
    return LinkOut.of(run.run(service.add_link, cmd, who.actor))


@router.get("/escalations/{escalation_id}/links", response_model=LinkList)
def escalation_links(escalation_id: EscalationId, principal: Reader, run: RunnerDep) -> LinkList:
    return _listed(run, "escalation", escalation_id, principal)


@router.post("/escalations/{escalation_id}/links", response_model=LinkOut, status_code=201)
def link_escalation(
    escalation_id: EscalationId, body: LinkIn, principal: Poster, run: RunnerDep
) -> LinkOut:
    """Link a Jira, GitHub or GitLab issue or pull/merge request by its URL."""
    return _linked(run, "escalation", escalation_id, body.url, principal)


@router.get("/requests/{request_id}/links", response_model=LinkList)
def request_links(request_id: EscalationId, principal: Reader, run: RunnerDep) -> LinkList:
    return _listed(run, "request", request_id, principal)


@router.post("/requests/{request_id}/links", response_model=LinkOut, status_code=201)
def link_request(
    request_id: EscalationId, body: LinkIn, principal: Reader, run: RunnerDep
) -> LinkOut:
    """Link tracker work to a request: its requester may, and who posts updates (the handler
    decides); the requester is told when the work closes."""
    return _linked(run, "request", request_id, body.url, principal)


@router.get("/recurring/{key}/links", response_model=LinkList)
def issue_links(key: IssueKey, principal: Reader, run: RunnerDep) -> LinkList:
    return _listed(run, "recurring_issue", key, principal)


@router.post("/recurring/{key}/links", response_model=LinkOut, status_code=201)
def link_issue(key: IssueKey, body: LinkIn, principal: Keeper, run: RunnerDep) -> LinkOut:
    return _linked(run, "recurring_issue", key, body.url, principal)


@router.delete("/links/{link_id}", response_model=LinkOut)
def remove(
    link_id: Annotated[int, Path(ge=1, le=MAX_ID)], principal: Reader, run: RunnerDep
) -> LinkOut:
    """Remove a link (who may change its escalation or issue)."""
    return LinkOut.of(run.run(service.remove_link, service.RemoveLink(link_id), principal.actor))
