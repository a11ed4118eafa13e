"""Verdicts on pairs of similar tickets (R-REC-2): link a duplicate, or say a pair is unrelated."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel, SafeStr
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import RunnerDep, require
from escdesk.services import ticket_judgements as service

router = APIRouter(tags=["tickets"])

Keeper = Annotated[Principal, Depends(require(Permission.MANAGE_RECURRING))]
TicketKey = Annotated[
    str, Path(min_length=1, max_length=301, description="Helpdesk id, or source:id.")
]


class JudgementIn(ApiModel):
    other: SafeStr = Field(description="The ticket it was shown beside (helpdesk id).")
    verdict: Literal["duplicate", "not_related"] = "duplicate"


class JudgementOut(BaseModel):
    ticket: str
    other: str
    verdict: str
    judged_at: datetime
    replaced: bool = Field(description="An earlier verdict on the same pair was replaced.")


@router.post("/tickets/{key}/judgements", response_model=JudgementOut, status_code=201)
def judge(key: TicketKey, body: JudgementIn, principal: Keeper, run: RunnerDep) -> JudgementOut:
    """Link the ticket as a duplicate of the other, or say they are not related: similar-ticket
    results show the duplicate first (`linked`) and the unrelated one no more."""
    cmd = service.JudgePair.parse(key, body.other, body.verdict)
    judged = run.run(service.judge_pair, cmd, principal.actor)
    return JudgementOut(
        ticket=judged.ticket.key,
        other=judged.other.key,
        verdict=judged.judgement.verdict.value,
        judged_at=judged.judgement.judged_at,
        replaced=judged.replaced,
    )
