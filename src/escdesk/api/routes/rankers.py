"""The similar-tickets ranker that learns from the team (R-REC-2): its versions and figures,
re-training on the team's links, and choosing the one in use (or the shipped one again)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel
from escdesk.domain.access import Permission, Principal
from escdesk.domain.ranker_version import RankerVersion
from escdesk.http.deps import IndexDep, RunnerDep, require
from escdesk.services import ranker as service

router = APIRouter(tags=["tickets"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Keeper = Annotated[Principal, Depends(require(Permission.MANAGE_RECURRING))]


class RankerOut(BaseModel):
    id: int
    trained_at: datetime
    trained_by: int | None
    kept: bool = Field(description="It ranked the held-back links better and was put in use.")
    in_use: bool
    replaced: int | None = Field(description="The version in use before it (null: shipped).")
    figures: dict[str, Any] = Field(
        description="`new` and `current`: RR@1/5/10 and MRR on the held-back links; counts."
    )
    model: dict[str, Any] = Field(description="Feature names, standardisation and weights.")


class RankersOut(BaseModel):
    in_use: int | Literal["shipped"]
    versions: list[RankerOut]


class TrainedOut(RankerOut):
    not_kept_because: str | None


class InUseIn(ApiModel):
    version: int | None = Field(description="A stored version; null: the shipped ranker.")


def _out(v: RankerVersion) -> dict[str, Any]:
    return {
        "id": v.id,
        "trained_at": v.trained_at,
        "trained_by": v.trained_by,
        "kept": v.kept,
        "in_use": v.in_use,
        "replaced": v.replaced,
        "figures": v.figures,
        "model": v.model,
    }


def _rankers(rankers: service.Rankers) -> RankersOut:
    return RankersOut(
        in_use=rankers.in_use if rankers.in_use is not None else "shipped",
        versions=[RankerOut(**_out(v)) for v in rankers.versions],
    )


@router.get("/rankers", response_model=RankersOut)
def list_rankers(principal: Reader, run: RunnerDep) -> RankersOut:
    """Every re-trained ranker with its figures, and which one search uses."""
    return _rankers(run.read(service.show_rankers, service.ShowRankers(), principal.actor))


@router.post("/rankers", response_model=TrainedOut, status_code=201)
def train_ranker(principal: Keeper, run: RunnerDep, index: IndexDep) -> TrainedOut:
    """Re-train on the shipped public pairs plus the team's verdicts; the new ranker is put in
    use only if it ranks the held-back links better (`kept`), and recorded either way."""
    trained = run.run(service.TrainRankerHandler(index), service.TrainRanker(), principal.actor)
    return TrainedOut(**_out(trained.version), not_kept_because=trained.not_kept_because)


@router.put("/rankers/in-use", response_model=RankersOut)
def use_ranker(body: InUseIn, principal: Keeper, run: RunnerDep) -> RankersOut:
    """Choose the ranker search uses; `{"version": null}` goes back to the shipped one."""
    cmd = service.UseRanker.parse(body.version, body.version is None)
    return _rankers(run.run(service.use_ranker, cmd, principal.actor))
