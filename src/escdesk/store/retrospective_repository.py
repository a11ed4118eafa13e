"""Retrospectives and their follow-up actions in the store (R-RCA-1, R-RCA-2).

Saved at commit like every aggregate: a changed retrospective claims the version it was loaded
at (`store.versions`), then its follow-ups, audit events and outbox rows are written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, true, update
from sqlalchemy.orm import Session

from escdesk.domain.errors import Conflict, NotFound
from escdesk.domain.retrospective import FollowUp, Retrospective, RetroStatus, RootCause
from escdesk.services.listing import Order
from escdesk.store.news import latest, write_news
from escdesk.store.ordering import ordered
from escdesk.store.tables import EscalationRow, FollowUpRow, RetrospectiveRow
from escdesk.store.versions import Tracked, claim_version

SUBJECT = "retrospective"


def _columns(retro: Retrospective) -> dict[str, Any]:
    return {
        "escalation_id": retro.escalation_id,
        "status": retro.status.value,
        "opened_at": retro.opened_at,
        "due_at": retro.due_at,
        "root_cause": retro.root_cause.value if retro.root_cause else None,
        "summary": retro.summary,
        "internal_notes": retro.internal_notes,
        "missed": {"items": list(retro.missed_opportunities)},
        "annotations": {str(k): v for k, v in sorted(retro.annotations.items())},
        "completed_at": retro.completed_at,
        "overdue_told": retro.overdue_told,
    }


def _follow_up(row: FollowUpRow) -> FollowUp:
    return FollowUp(
        title=row.title,
        owner_id=row.owner_id,
        team=row.team,
        due_at=row.due_at,
        created_at=row.created_at,
        done_at=row.done_at,
        reminders_sent=row.reminders_sent,
        tracker_url=row.tracker_url,
        tracker_requested_at=row.tracker_requested_at,
        id=row.id,
    )


_State = tuple[datetime | None, int, str | None, datetime | None]


def _state(item: FollowUp) -> _State:
    return (item.done_at, item.reminders_sent, item.tracker_url, item.tracker_requested_at)


def _states(retro: Retrospective) -> tuple[_State, ...]:
    return tuple(_state(f) for f in retro.follow_ups)


class RetrospectiveRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[int, Tracked[Retrospective]] = {}

    def add(self, retro: Retrospective) -> None:
        columns = _columns(retro)
        row = RetrospectiveRow(**columns, version=1)
        self.session.add(row)
        self.session.flush()
        retro.id, retro.version = row.id, 1
        self._write(retro, ())
        self._tracked[row.id] = Tracked(retro, 1, columns, _states(retro), fresh=True)

    def get(self, retro_id: int, expected_version: int | None = None) -> Retrospective:
        tracked = self._tracked.get(retro_id)
        if tracked is None:
            row = self.session.get(RetrospectiveRow, retro_id)
            if row is None:
                raise NotFound("retrospective", retro_id)
            tracked = self._track(row)
        retro = tracked.aggregate
        if expected_version is not None and retro.version != expected_version:
            raise Conflict("retrospective", retro_id, retro.version)
        return retro

    def for_escalation(self, escalation_id: int) -> Retrospective | None:
        found = next(
            (
                t.aggregate
                for t in self._tracked.values()
                if t.aggregate.escalation_id == escalation_id
            ),
            None,
        )
        if found is not None:
            return found
        row = self.session.scalar(
            select(RetrospectiveRow).where(RetrospectiveRow.escalation_id == escalation_id)
        )
        return self._track(row).aggregate if row is not None else None

    def _track(self, row: RetrospectiveRow) -> Tracked[Retrospective]:
        follow_rows = self.session.scalars(
            select(FollowUpRow)
            .where(FollowUpRow.retrospective_id == row.id)
            .order_by(FollowUpRow.number)
        )
        retro = Retrospective(
            escalation_id=row.escalation_id,
            opened_at=row.opened_at,
            due_at=row.due_at,
            status=RetroStatus(row.status),
            root_cause=RootCause(row.root_cause) if row.root_cause else None,
            summary=row.summary,
            internal_notes=row.internal_notes,
            missed_opportunities=list(row.missed.get("items", [])),
            annotations={int(k): str(v) for k, v in row.annotations.items()},
            follow_ups=[_follow_up(r) for r in follow_rows],
            completed_at=row.completed_at,
            overdue_told=row.overdue_told,
            id=row.id,
            version=row.version,
        )
        tracked = Tracked(retro, retro.version, _columns(retro), _states(retro))
        self._tracked[row.id] = tracked
        return tracked

    def listing(
        self, *, include_completed: bool, order: Order | None, limit: int, offset: int
    ) -> tuple[list[tuple[Retrospective, str]], int]:
        """A page of retrospectives with their escalation's summary, the soonest due first
        unless `order` says, and how many there are; read only."""
        where = true() if include_completed else RetrospectiveRow.status == RetroStatus.OPEN.value
        key = order or Order("due")
        column = {
            "escalation": RetrospectiveRow.escalation_id,
            "status": RetrospectiveRow.status,
            "due": RetrospectiveRow.due_at,
            "root_cause": RetrospectiveRow.root_cause,
        }[key.key]
        query = (
            select(RetrospectiveRow.id, EscalationRow.summary)
            .join(EscalationRow, EscalationRow.id == RetrospectiveRow.escalation_id)
            .where(where)
            .order_by(*ordered(column, key.descending, RetrospectiveRow.id))
            .limit(limit)
            .offset(offset)
        )
        total = self.session.scalar(select(func.count(RetrospectiveRow.id)).where(where)) or 0
        found = [(self.get(i), summary) for i, summary in self.session.execute(query).all()]
        return found, total

    def with_follow_ups_due(self, before: datetime) -> list[int]:
        """Retrospectives with an open follow-up due before `before`: the reminder pass's work."""
        query = (
            select(FollowUpRow.retrospective_id)
            .where(FollowUpRow.done_at.is_(None), FollowUpRow.due_at < before)
            .where(FollowUpRow.reminders_sent < 2)
            .distinct()
            .order_by(FollowUpRow.retrospective_id)
        )
        return list(self.session.scalars(query))

    def overdue(self, now: datetime) -> list[int]:
        """Open retrospectives past their due moment whose DRI has not been told yet."""
        query = (
            select(RetrospectiveRow.id)
            .where(RetrospectiveRow.status == RetroStatus.OPEN.value)
            .where(RetrospectiveRow.due_at < now, RetrospectiveRow.overdue_told.is_(False))
            .order_by(RetrospectiveRow.id)
        )
        return list(self.session.scalars(query))

    def with_tracked_follow_ups(self) -> list[int]:
        """Retrospectives with an open follow-up mirrored in a tracker: the sync's work."""
        query = (
            select(FollowUpRow.retrospective_id)
            .where(FollowUpRow.done_at.is_(None), FollowUpRow.tracker_url.is_not(None))
            .distinct()
            .order_by(FollowUpRow.retrospective_id)
        )
        return list(self.session.scalars(query))

    def all_follow_ups(self) -> list[tuple[str | None, FollowUp]]:
        """Every follow-up with its retrospective's root cause: for the on-time shares."""
        rows = self.session.execute(
            select(FollowUpRow, RetrospectiveRow.root_cause).join(
                RetrospectiveRow, RetrospectiveRow.id == FollowUpRow.retrospective_id
            )
        ).all()
        return [(cause, _follow_up(row)) for row, cause in rows]

    def save_seen(self) -> None:
        for key in sorted(self._tracked):
            tracked = self._tracked[key]
            retro = tracked.aggregate
            columns, states = _columns(retro), _states(retro)
            if columns == tracked.columns and states == tracked.children:
                if not retro.pending_events and not retro.pending_messages:
                    continue
            retro.version = tracked.version = claim_version(
                self.session, RetrospectiveRow, "retrospective", key, tracked.version, columns
            )
            self._write(retro, tracked.children)
            tracked.columns, tracked.children = columns, states

    def _write(self, retro: Retrospective, before: tuple[Any, ...]) -> None:
        assert retro.id is not None
        for number, item in enumerate(retro.follow_ups, start=1):
            if number > len(before):
                row = FollowUpRow(
                    retrospective_id=retro.id,
                    number=number,
                    title=item.title,
                    owner_id=item.owner_id,
                    team=item.team,
                    due_at=item.due_at,
                    created_at=item.created_at,
                    done_at=item.done_at,
                    reminders_sent=item.reminders_sent,
                    tracker_url=item.tracker_url,
                    tracker_requested_at=item.tracker_requested_at,
                )
                self.session.add(row)
                self.session.flush()
                item.id = row.id
            elif _state(item) != before[number - 1]:
                self.session.execute(
                    update(FollowUpRow)
                    .where(FollowUpRow.id == item.id)
                    .values(
                        done_at=item.done_at,
                        reminders_sent=item.reminders_sent,
                        tracker_url=item.tracker_url,
                        tracker_requested_at=item.tracker_requested_at,
                    )
                    .execution_options(synchronize_session=False)
                )
        at = latest(retro.pending_events, retro.opened_at)
        write_news(
            self.session,
            SUBJECT,
            retro.id,
            retro.version,
            retro.pending_events,
            retro.pending_messages,
            at,
        )
