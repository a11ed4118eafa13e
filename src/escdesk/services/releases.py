"""Interim release use cases (R-FIX-1, R-FIX-2, R-RCA-3): plan, fill, order, ship.

Shipping is one transaction: every fix is marked shipped with its lead time, every recurring
issue it fixes is marked fixed at the shipping moment (from which prevention counts), and
everyone waiting — fix authors, each linked request's requester, each linked escalation's
requester and DRI, its channel — is queued a notice in the outbox, all committed together or
not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from escdesk.domain.access import Actor, Permission
from escdesk.domain.fixes import Fix
from escdesk.domain.releases import Release, release_notes
from escdesk.services import subjects
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context

P = Permission


@dataclass(frozen=True)
class PlanRelease:
    version: str
    planned_on: date


@dataclass(frozen=True)
class AddToRelease:
    release: str
    fix_id: int
    version: int | None = None


@dataclass(frozen=True)
class RemoveFromRelease:
    release: str
    fix_id: int
    version: int | None = None


@dataclass(frozen=True)
class RankFix:
    """R-FIX-2: Support's priority order; position 1 ships first."""

    release: str
    fix_id: int
    position: int
    version: int | None = None


@dataclass(frozen=True)
class ShipRelease:
    release: str
    version: int | None = None


@dataclass(frozen=True)
class ShowRelease:
    release: str


@dataclass(frozen=True)
class ListReleases:
    pass


@dataclass(frozen=True)
class ReleaseView:
    release: Release
    fixes: list[Fix]
    notes: str


def plan_release(uow: UnitOfWork, cmd: PlanRelease, actor: Actor, ctx: Context) -> Release:
    actor.require(P.ORDER_RELEASE)
    release = Release.plan(cmd.version, cmd.planned_on, by_id=actor.person_id, now=ctx.now)
    uow.releases.add(release)
    return release


def _release(uow: UnitOfWork, key: str, version: int | None) -> Release:
    release = uow.releases.find(key)
    assert release.id is not None
    return uow.releases.get(release.id, version)


def add_to_release(uow: UnitOfWork, cmd: AddToRelease, actor: Actor, ctx: Context) -> Release:
    actor.require(P.ORDER_RELEASE)
    release = _release(uow, cmd.release, cmd.version)
    release.add(uow.fixes.get(cmd.fix_id), by_id=actor.person_id, now=ctx.now)
    return release


def remove_from_release(
    uow: UnitOfWork, cmd: RemoveFromRelease, actor: Actor, ctx: Context
) -> Release:
    actor.require(P.ORDER_RELEASE)
    release = _release(uow, cmd.release, cmd.version)
    release.remove(uow.fixes.get(cmd.fix_id), by_id=actor.person_id, now=ctx.now)
    return release


def rank_fix(uow: UnitOfWork, cmd: RankFix, actor: Actor, ctx: Context) -> Release:
    actor.require(P.ORDER_RELEASE)
    release = _release(uow, cmd.release, cmd.version)
    release.rank(cmd.fix_id, cmd.position, by_id=actor.person_id, now=ctx.now)
    return release


def _notes(uow: UnitOfWork, release: Release, fixes: dict[int, Fix]) -> str:
    esc_ids = {f.escalation_id for f in fixes.values() if f.escalation_id is not None}
    issue_ids = {f.recurring_issue_id for f in fixes.values() if f.recurring_issue_id is not None}
    request_ids = {f.request_id for f in fixes.values() if f.request_id is not None}
    escalations = {i: uow.escalations.get(i).summary for i in esc_ids}
    issues = {i: uow.recurring.get(i).label for i in issue_ids}
    requests = {i: uow.requests.get(i).summary for i in request_ids}
    return release_notes(release, fixes, escalations=escalations, issues=issues, requests=requests)


def show_release(uow: UnitOfWork, query: ShowRelease, actor: Actor, ctx: Context) -> ReleaseView:
    actor.require(P.READ)
    release = uow.releases.find(query.release)
    fixes = uow.fixes.many(release.fix_ids)
    notes = release.notes or _notes(uow, release, fixes)
    return ReleaseView(release, [fixes[i] for i in release.fix_ids], notes)


def list_releases(
    uow: UnitOfWork, query: ListReleases, actor: Actor, ctx: Context
) -> list[Release]:
    actor.require(P.READ)
    return uow.releases.listing()


def ship_release(uow: UnitOfWork, cmd: ShipRelease, actor: Actor, ctx: Context) -> Release:
    """Ship, close the loop with everyone waiting, and record the fix date (R-RCA-3)."""
    actor.require(P.SHIP_RELEASE)
    release = _release(uow, cmd.release, cmd.version)
    fixes = uow.fixes.many(release.fix_ids)
    notes = _notes(uow, release, fixes)
    attached: list[tuple[str, int]] = []
    authors: set[int] = set()
    for fix in fixes.values():
        attached += fix.subjects
        if fix.author_id is not None:
            authors.add(fix.author_id)
        reported = [fix.submitted_at]
        for subject_type, subject_id in fix.subjects:
            reported += subjects.first_reported(uow, subject_type, subject_id)
        if fix.recurring_issue_id is not None:
            uow.recurring.get(fix.recurring_issue_id).record_fix(
                reference=f"fix {fix.id}: {fix.url or fix.title}",
                release=release.version,
                fixed_at=ctx.now,
                by_id=actor.person_id,
                now=ctx.now,
            )
        fix.ship(
            release=release.version, reported_at=min(reported), by_id=actor.person_id, now=ctx.now
        )
    told = subjects.waiting(uow, attached)
    told.people |= authors
    release.ship(
        fixes,
        notes=notes,
        waiting=told.addresses(uow),
        channels=sorted(told.channels),
        by_id=actor.person_id,
        now=ctx.now,
    )
    return release
