"""Interim releases (R-FIX-1, R-FIX-2): plan, fill, rank, ship. A release is named by its id
or its version; bodies carry the release's `revision` for optimistic concurrency."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path

from escdesk.api.schemas.after import (
    RankIn,
    ReleaseFixIn,
    ReleaseIn,
    ReleaseList,
    ReleaseOut,
    RevisionIn,
)
from escdesk.api.schemas.common import MAX_ID
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import RunnerDep, require
from escdesk.services import releases as service
from escdesk.services.runner import Runner

router = APIRouter(tags=["releases"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Orderer = Annotated[Principal, Depends(require(Permission.ORDER_RELEASE))]
Shipper = Annotated[Principal, Depends(require(Permission.SHIP_RELEASE))]
ReleaseKey = Annotated[str, Path(max_length=40, description="The release's id or version.")]
FixId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _shown(run: Runner, key: str, principal: Principal) -> ReleaseOut:
    view = run.read(service.show_release, service.ShowRelease(key), principal.actor)
    return ReleaseOut.of_view(view)


@router.post("/releases", response_model=ReleaseOut, status_code=201)
def plan(body: ReleaseIn, principal: Orderer, run: RunnerDep) -> ReleaseOut:
    cmd = service.PlanRelease(body.version, body.planned_on)
    return ReleaseOut.of(run.run(service.plan_release, cmd, principal.actor))


@router.get("/releases", response_model=ReleaseList)
def list_releases(principal: Reader, run: RunnerDep) -> ReleaseList:
    found = run.read(service.list_releases, service.ListReleases(), principal.actor)
    return ReleaseList(items=[ReleaseOut.of(r) for r in found])


@router.get("/releases/{key}", response_model=ReleaseOut)
def show(key: ReleaseKey, principal: Reader, run: RunnerDep) -> ReleaseOut:
    """The release with its contents in priority order and its notes."""
    return _shown(run, key, principal)


@router.post("/releases/{key}/fixes", response_model=ReleaseOut)
def add_fix(key: ReleaseKey, body: ReleaseFixIn, principal: Orderer, run: RunnerDep) -> ReleaseOut:
    cmd = service.AddToRelease(key, body.fix_id, body.revision)
    run.run(service.add_to_release, cmd, principal.actor)
    return _shown(run, key, principal)


@router.delete("/releases/{key}/fixes/{fix_id}", response_model=ReleaseOut)
def remove_fix(key: ReleaseKey, fix_id: FixId, principal: Orderer, run: RunnerDep) -> ReleaseOut:
    run.run(service.remove_from_release, service.RemoveFromRelease(key, fix_id), principal.actor)
    return _shown(run, key, principal)


@router.post("/releases/{key}/rank", response_model=ReleaseOut)
def rank(key: ReleaseKey, body: RankIn, principal: Orderer, run: RunnerDep) -> ReleaseOut:
    """R-FIX-2: move a fix to a position in the priority order (1 ships first)."""
    cmd = service.RankFix(key, body.fix_id, body.position, body.revision)
    run.run(service.rank_fix, cmd, principal.actor)
    return _shown(run, key, principal)


@router.post("/releases/{key}/ship", response_model=ReleaseOut)
def ship(key: ReleaseKey, body: RevisionIn, principal: Shipper, run: RunnerDep) -> ReleaseOut:
    """Ship: fixes shipped, recurring issues fixed, everyone waiting told — one transaction."""
    run.run(service.ship_release, service.ShipRelease(key, body.revision), principal.actor)
    return _shown(run, key, principal)
