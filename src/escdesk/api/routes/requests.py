"""Escalation requests and the triage meeting (R-INT-1/2, R-TRI-1…4)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response, status
from fastapi.responses import PlainTextResponse

from escdesk.api.schemas.common import MAX_ID, Key, Sort
from escdesk.api.schemas.requests import (
    DecisionIn,
    DuplicateIn,
    MeetingIn,
    RequestIn,
    WithdrawIn,
)
from escdesk.domain.access import Permission, Principal
from escdesk.domain.request import RequestStatus
from escdesk.http.deps import IndexDep, NowDep, RunnerDep, SettingsDep, UowDep, require
from escdesk.services import requests as intake
from escdesk.services import triage
from escdesk.services.listing import parse_sort
from escdesk.services.request_commands import (
    DecideRequest,
    FileRequest,
    LinkDuplicate,
    ListRequests,
    RecordMeeting,
    ShowRequest,
    SimilarToRequest,
    TicketLink,
    TriageAgenda,
    WithdrawRequest,
)
from escdesk.services.triage_text import agenda_json, agenda_markdown, likeness_json, view_json

router = APIRouter(tags=["requests"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Filer = Annotated[Principal, Depends(require(Permission.FILE_REQUEST))]
Decider = Annotated[Principal, Depends(require(Permission.DECIDE_REQUEST))]
RequestId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _show(run: RunnerDep, settings: SettingsDep, principal: Principal, rid: int) -> dict[str, Any]:
    query = ShowRequest(rid, settings.triage_config())
    return view_json(run.read(intake.show_request, query, principal.actor))


@router.get("/requests")
def list_requests(
    principal: Reader,
    run: RunnerDep,
    settings: SettingsDep,
    status: RequestStatus | None = None,
    account: Annotated[Key | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
    sort: Sort = None,
) -> dict[str, Any]:
    """Requests, newest first, each with its score and breakdown (R-TRI-2); `sort` by id,
    customer, summary, status, type, severity or filed."""
    query = ListRequests(status, account, limit, settings.triage_config(), parse_sort(sort))
    views = run.read(intake.list_requests, query, principal.actor)
    return {"items": [view_json(v) for v in views], "total": len(views)}


@router.post("/requests", status_code=status.HTTP_201_CREATED)
def file_request(
    body: RequestIn,
    principal: Filer,
    run: RunnerDep,
    settings: SettingsDep,
    uow: UowDep,
    index: IndexDep,
    now: NowDep,
    response: Response,
) -> dict[str, Any]:
    """R-INT-1/2: refused with 422 naming every missing field in `missing`; nothing stored."""
    values = body.model_dump(exclude={"tickets", "skills"})
    cmd = FileRequest.parse(**values, skills=tuple(body.skills))
    links = tuple(TicketLink.parse(f"{t.id} {t.url or ''}") for t in body.tickets)
    cmd = intake.with_similar_accounts(uow, index, replace(cmd, tickets=links), now=now)
    request = run.run(intake.file_request, cmd, principal.actor)
    response.headers["Location"] = f"/api/requests/{request.id}"
    return _show(run, settings, principal, request.id or 0)


@router.get("/requests/{request_id}")
def show_request(
    request_id: RequestId, principal: Reader, run: RunnerDep, settings: SettingsDep
) -> dict[str, Any]:
    """One request with its score, tickets, decisions and the account's open escalations."""
    return _show(run, settings, principal, request_id)


@router.post("/requests/{request_id}/withdraw")
def withdraw_request(
    request_id: RequestId, body: WithdrawIn, principal: Reader, run: RunnerDep,
    settings: SettingsDep,
) -> dict[str, Any]:  # fmt: skip
    """Its requester, or someone who decides requests, withdraws a pending request."""
    cmd = WithdrawRequest(request_id, body.reason, body.version)
    run.run(intake.withdraw_request, cmd, principal.actor)
    return _show(run, settings, principal, request_id)


@router.get("/requests/{request_id}/similar")
def similar_to_request(
    request_id: RequestId, principal: Reader, run: RunnerDep, settings: SettingsDep
) -> dict[str, Any]:
    """Earlier requests and open escalations that read like this one (R-INT-1)."""
    shown = run.read(intake.show_request, ShowRequest(request_id), principal.actor).request
    query = SimilarToRequest(f"{shown.summary}\n{shown.problem}", request_id)
    found = run.read(intake.similar_records, query, principal.actor)
    return {"items": [likeness_json(like) for like in found]}


@router.post("/requests/{request_id}/duplicate")
def duplicate_request(
    request_id: RequestId, body: DuplicateIn, principal: Reader, run: RunnerDep,
    settings: SettingsDep,
) -> dict[str, Any]:  # fmt: skip
    """Link it as a duplicate of `of` (REQ-n or ESC-n): withdrawn, naming what it duplicates."""
    run.run(
        intake.link_duplicate, LinkDuplicate(request_id, body.of, body.version), principal.actor
    )
    return _show(run, settings, principal, request_id)


@router.post("/requests/{request_id}/decision")
def decide_request(
    request_id: RequestId, body: DecisionIn, principal: Decider, run: RunnerDep,
    settings: SettingsDep,
) -> dict[str, Any]:  # fmt: skip
    """R-TRI-3/4: the decision with its rationale; the requester's notice in the same commit."""
    values = body.model_dump()
    values["severity"] = body.severity.value if body.severity else None
    values["skills"] = tuple(body.skills)
    cmd = DecideRequest.parse(request_id=request_id, triage=settings.triage_config(), **values)
    run.run(triage.decide_request, cmd, principal.actor)
    return _show(run, settings, principal, request_id)


@router.get(
    "/triage/agenda",
    response_model=None,
    responses={
        200: {
            "description": "The agenda: JSON, or Markdown to paste into the meeting's document.",
            "content": {
                "application/json": {"schema": {"type": "object"}},
                "text/markdown": {"schema": {"type": "string"}},
            },
        }
    },
)
def triage_agenda(
    principal: Reader,
    run: RunnerDep,
    settings: SettingsDep,
    format: Annotated[str, Query(pattern="^(json|markdown)$")] = "json",
) -> dict[str, Any] | PlainTextResponse:
    """R-TRI-1: the next meeting's agenda as JSON, or as Markdown (`format=markdown`)."""
    agenda = run.read(triage.triage_agenda, TriageAgenda(settings.triage_config()), principal.actor)
    if format == "markdown":
        return PlainTextResponse(agenda_markdown(agenda), media_type="text/markdown; charset=utf-8")
    return agenda_json(agenda)


@router.post("/triage/meetings", status_code=status.HTTP_201_CREATED)
def record_meeting(body: MeetingIn, principal: Decider, run: RunnerDep) -> dict[str, Any]:
    """Meeting mode: the meeting as held now and who attended; decisions may name its id."""
    number = run.run(
        triage.record_meeting, RecordMeeting(tuple(body.attendees), body.notes), principal.actor
    )
    return {"id": number}
