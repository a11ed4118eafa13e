"""Support-written fixes and interim releases in the store (R-FIX-1, R-FIX-2).

A release's contents are the fixes that name it, ordered by their `position`, so moving a fix
in the priority order is one update of positions inside the release's own version claim.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from escdesk.domain.errors import Conflict, InvalidInput, NotFound
from escdesk.domain.fixes import Fix, FixKind, FixStatus
from escdesk.domain.releases import Release, ReleaseStatus
from escdesk.services.listing import Order
from escdesk.store.news import latest, write_news
from escdesk.store.ordering import ordered
from escdesk.store.tables import FixRow, ReleaseRow
from escdesk.store.versions import Tracked, claim_version


def _fix_columns(fix: Fix) -> dict[str, Any]:
    return {
        "title": fix.title,
        "kind": fix.kind.value,
        "content": fix.content,
        "url": fix.url,
        "author_id": fix.author_id,
        "escalation_id": fix.escalation_id,
        "recurring_issue_id": fix.recurring_issue_id,
        "request_id": fix.request_id,
        "status": fix.status.value,
        "review_note": fix.review_note,
        "reviewed_by": fix.reviewed_by,
        "reviewed_at": fix.reviewed_at,
        "release_id": fix.release_id,
        "submitted_at": fix.submitted_at,
        "reported_at": fix.reported_at,
        "shipped_at": fix.shipped_at,
    }


def _fix(row: FixRow) -> Fix:
    return Fix(
        title=row.title,
        kind=FixKind(row.kind),
        author_id=row.author_id,
        submitted_at=row.submitted_at,
        content=row.content,
        url=row.url,
        escalation_id=row.escalation_id,
        recurring_issue_id=row.recurring_issue_id,
        request_id=row.request_id,
        status=FixStatus(row.status),
        review_note=row.review_note,
        reviewed_by=row.reviewed_by,
        reviewed_at=row.reviewed_at,
        release_id=row.release_id,
        reported_at=row.reported_at,
        shipped_at=row.shipped_at,
        id=row.id,
        version=row.version,
    )


class FixRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[int, Tracked[Fix]] = {}

    def add(self, fix: Fix) -> None:
        columns = _fix_columns(fix)
        row = FixRow(**columns, version=1)
        self.session.add(row)
        self.session.flush()
        fix.id, fix.version = row.id, 1
        self._news(fix)
        self._tracked[row.id] = Tracked(fix, 1, columns, fresh=True)

    def get(self, fix_id: int, expected_version: int | None = None) -> Fix:
        tracked = self._tracked.get(fix_id)
        if tracked is None:
            row = self.session.get(FixRow, fix_id)
            if row is None:
                raise NotFound("fix", fix_id)
            fix = _fix(row)
            tracked = Tracked(fix, fix.version, _fix_columns(fix))
            self._tracked[fix_id] = tracked
        fix = tracked.aggregate
        if expected_version is not None and fix.version != expected_version:
            raise Conflict("fix", fix_id, fix.version)
        return fix

    def many(self, ids: Iterable[int]) -> dict[int, Fix]:
        return {i: self.get(i) for i in ids}

    def listing(
        self,
        *,
        status: FixStatus | None = None,
        escalation_id: int | None = None,
        recurring_issue_id: int | None = None,
        request_id: int | None = None,
    ) -> list[Fix]:
        """Oldest first: the review queue is worked in the order fixes arrived."""
        query = select(FixRow.id).order_by(FixRow.submitted_at, FixRow.id)
        if status is not None:
            query = query.where(FixRow.status == status.value)
        if escalation_id is not None:
            query = query.where(FixRow.escalation_id == escalation_id)
        if recurring_issue_id is not None:
            query = query.where(FixRow.recurring_issue_id == recurring_issue_id)
        if request_id is not None:
            query = query.where(FixRow.request_id == request_id)
        return [self.get(i) for i in self.session.scalars(query)]

    def reviewed(self, order: Order | None, limit: int, offset: int) -> tuple[list[Fix], int]:
        """A page of the fixes past their review in FIX_ORDERS (latest first), and their count."""
        where = FixRow.status != FixStatus.SUBMITTED.value
        key = order or Order("id", descending=True)
        column = {
            "id": FixRow.id,
            "title": func.lower(FixRow.title),
            "status": FixRow.status,
            "release": FixRow.release_id,
        }[key.key]
        query = (
            select(FixRow.id)
            .where(where)
            .order_by(*ordered(column, key.descending, FixRow.id))
            .limit(limit)
            .offset(offset)
        )
        total = self.session.scalar(select(func.count(FixRow.id)).where(where)) or 0
        return [self.get(i) for i in self.session.scalars(query)], total

    def in_release(self, release_id: int) -> list[int]:
        query = (
            select(FixRow.id)
            .where(FixRow.release_id == release_id)
            .order_by(FixRow.position, FixRow.id)
        )
        return list(self.session.scalars(query))

    def save_seen(self) -> None:
        for key in sorted(self._tracked):
            tracked = self._tracked[key]
            fix = tracked.aggregate
            columns = _fix_columns(fix)
            if columns == tracked.columns and not fix.pending_events and not fix.pending_messages:
                continue
            fix.version = tracked.version = claim_version(
                self.session, FixRow, "fix", key, tracked.version, columns
            )
            self._news(fix)
            tracked.columns = columns

    def _news(self, fix: Fix) -> None:
        assert fix.id is not None
        at = latest(fix.pending_events, fix.submitted_at)
        write_news(
            self.session,
            "fix",
            fix.id,
            fix.version,
            fix.pending_events,
            fix.pending_messages,
            at,
            fix.escalation_id,
        )


def _release_columns(release: Release) -> dict[str, Any]:
    return {
        "release_version": release.version,
        "planned_on": release.planned_on,
        "status": release.status.value,
        "created_at": release.created_at,
        "shipped_at": release.shipped_at,
        "notes": release.notes,
    }


class ReleaseRepository:
    def __init__(self, session: Session, fixes: FixRepository) -> None:
        self.session = session
        self.fixes = fixes
        self._tracked: dict[int, Tracked[Release]] = {}

    def add(self, release: Release) -> None:
        taken = self.session.scalar(
            select(ReleaseRow.id).where(ReleaseRow.release_version == release.version)
        )
        if taken is not None:
            raise InvalidInput(
                "version", f"{release.version} is already planned", "Choose another version"
            )
        columns = _release_columns(release)
        row = ReleaseRow(**columns, version=1)
        self.session.add(row)
        self.session.flush()
        release.id, release.revision = row.id, 1
        self._news(release)
        self._tracked[row.id] = Tracked(release, 1, columns, (), fresh=True)

    def get(self, release_id: int, expected_version: int | None = None) -> Release:
        tracked = self._tracked.get(release_id)
        if tracked is None:
            row = self.session.get(ReleaseRow, release_id)
            if row is None:
                raise NotFound("release", release_id)
            tracked = self._track(row)
        release = tracked.aggregate
        if expected_version is not None and release.revision != expected_version:
            raise Conflict("release", release_id, release.revision)
        return release

    def find(self, key: str) -> Release:
        """By id or by version string, as people name releases."""
        text = key.strip()
        if text.isdigit():
            row = self.session.get(ReleaseRow, int(text))
            if row is not None:
                return self.get(row.id)
        found = self.session.scalar(select(ReleaseRow.id).where(ReleaseRow.release_version == text))
        if found is None:
            raise NotFound("release", text)
        return self.get(found)

    def _track(self, row: ReleaseRow) -> Tracked[Release]:
        contents = self.fixes.in_release(row.id)
        release = Release(
            version=row.release_version,
            planned_on=row.planned_on,
            created_at=row.created_at,
            status=ReleaseStatus(row.status),
            fix_ids=contents,
            shipped_at=row.shipped_at,
            notes=row.notes,
            id=row.id,
            revision=row.version,
        )
        tracked = Tracked(release, release.revision, _release_columns(release), tuple(contents))
        self._tracked[row.id] = tracked
        return tracked

    def listing(self) -> list[Release]:
        query = select(ReleaseRow.id).order_by(ReleaseRow.planned_on, ReleaseRow.id)
        return [self.get(i) for i in self.session.scalars(query)]

    def save_seen(self) -> None:
        """Before the fixes are saved: a fix's release and position follow the release's order."""
        for key in sorted(self._tracked):
            tracked = self._tracked[key]
            release = tracked.aggregate
            columns, contents = _release_columns(release), tuple(release.fix_ids)
            unchanged = columns == tracked.columns and contents == tracked.children
            if unchanged and not release.pending_events and not release.pending_messages:
                continue
            release.revision = tracked.version = claim_version(
                self.session, ReleaseRow, "release", key, tracked.version, columns
            )
            for position, fix_id in enumerate(contents, start=1):
                self.session.execute(
                    update(FixRow)
                    .where(FixRow.id == fix_id)
                    .values(position=position)
                    .execution_options(synchronize_session=False)
                )
            self._news(release)
            tracked.columns, tracked.children = columns, contents

    def _news(self, release: Release) -> None:
        assert release.id is not None
        at = latest(release.pending_events, release.created_at)
        write_news(
            self.session,
            "release",
            release.id,
            release.revision,
            release.pending_events,
            release.pending_messages,
            at,
        )
