"""Escalations in the store: the aggregate with its updates, exit criteria, ETA and owner
history, audit events and outbox messages, and the queries the desk lists them with.

Escalations a unit of work loaded or added are saved when it commits. A changed one first claims
the version it was loaded at (`store.versions`); only then are its new child rows, events and
outbox rows added, so a stale writer gets a Conflict and writes none of them (R-ESC-11).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased, selectinload

from escdesk.domain.checklist import Delivery
from escdesk.domain.errors import Conflict, NotFound
from escdesk.domain.escalation import Escalation
from escdesk.domain.events import Event
from escdesk.domain.messages import MessageKind
from escdesk.domain.pauses import PAUSED, RESUMED, pauses_from
from escdesk.domain.records import ExitCriterion, Update
from escdesk.domain.reminders import SNOOZED, snoozes_from
from escdesk.domain.standups import SET as STANDUP_SET
from escdesk.domain.standups import plan_from
from escdesk.services.views import (
    EscalationFilter,
    EscalationPage,
    EscalationSummary,
    HistoryEntry,
)
from escdesk.store import escalation_listing as listing
from escdesk.store import mapping
from escdesk.store.outbox_repository import outbox_row
from escdesk.store.tables import (
    EscalationRow,
    EtaChangeRow,
    EventRow,
    ExitCriterionRow,
    OutboxRow,
    PersonRow,
    UpdateRow,
)
from escdesk.store.versions import Tracked, claim_version

CriterionState = tuple[str, bool, datetime | None, str | None, datetime | None, int | None]


@dataclass(frozen=True)
class Children:
    """The child records as loaded: appended ones are new, a criterion whose state differs
    was ticked, unticked, waived or opened again."""

    updates: int
    eta_changes: int
    owner_changes: int
    criteria: tuple[CriterionState, ...]

    @classmethod
    def of(cls, esc: Escalation) -> Children:
        return cls(
            len(esc.updates),
            len(esc.eta_changes),
            len(esc.owner_changes),
            tuple(_state(c) for c in esc.exit_criteria),
        )


NONE_YET = Children(0, 0, 0, ())


def _state(criterion: ExitCriterion) -> CriterionState:
    return (
        criterion.text,
        criterion.done,
        criterion.done_at,
        criterion.waived_reason,
        criterion.waived_at,
        criterion.waived_by_id,
    )


class EscalationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[int, Tracked[Escalation]] = {}
        self._new: list[Escalation] = []

    def add(self, escalation: Escalation) -> None:
        self._new.append(escalation)

    def get(self, escalation_id: int, expected_version: int | None = None) -> Escalation:
        """The escalation as this unit of work first loaded it (one object per escalation)."""
        tracked = self._tracked.get(escalation_id)
        if tracked is None:
            row = self.session.scalar(
                select(EscalationRow)
                .where(EscalationRow.id == escalation_id)
                .options(
                    selectinload(EscalationRow.updates),
                    selectinload(EscalationRow.exit_criteria),
                    selectinload(EscalationRow.eta_changes),
                    selectinload(EscalationRow.owner_changes),
                )
            )
            if row is None:
                raise NotFound("escalation", escalation_id)
            from escdesk.store.calendar_repository import CalendarRepository  # loading one only

            loaded = mapping.escalation_from_row(row)
            loaded.calendar = CalendarRepository(self.session).for_account(loaded.account_id)
            clock_events = self.clock_events(escalation_id)
            loaded.pauses = pauses_from(clock_events)
            loaded.standup = plan_from(clock_events)
            loaded.snoozes = snoozes_from(clock_events)
            tracked = self._track(loaded)
        esc = tracked.aggregate
        if expected_version is not None and esc.version != expected_version:
            raise Conflict("escalation", escalation_id, esc.version)
        return esc

    def save_seen(self) -> None:
        # Claims in id order, so two units of work never wait for each other in a circle.
        for key in sorted(self._tracked):
            self._save(self._tracked[key])
        for esc in self._new:
            self._insert(esc)
        self._new.clear()

    def _track(self, esc: Escalation) -> Tracked[Escalation]:
        assert esc.id is not None
        tracked = Tracked(esc, esc.version, mapping.escalation_columns(esc), Children.of(esc))
        self._tracked[esc.id] = tracked
        return tracked

    def _save(self, tracked: Tracked[Escalation]) -> None:
        esc = tracked.aggregate
        assert esc.id is not None
        columns, children = mapping.escalation_columns(esc), Children.of(esc)
        unchanged = columns == tracked.columns and children == tracked.children
        if unchanged and not esc.pending_events and not esc.pending_messages:
            return
        esc.version = claim_version(
            self.session, EscalationRow, "escalation", esc.id, tracked.version, columns
        )
        self._write_children(esc, tracked.children)
        self._write_news(esc)
        self._track(esc)

    def _insert(self, esc: Escalation) -> None:
        row = EscalationRow(**mapping.escalation_columns(esc))
        self.session.add(row)
        self.session.flush()
        esc.id, esc.version = row.id, row.version
        self._write_children(esc, NONE_YET)
        self._write_news(esc)
        self._track(esc)

    def _write_children(self, esc: Escalation, before: Children) -> None:
        """Append what is new since `before`, update ticked criteria; new records get their ids."""
        assert esc.id is not None
        numbered: list[tuple[Update | ExitCriterion, UpdateRow | ExitCriterionRow]] = []
        for posted in esc.updates[before.updates :]:
            numbered.append((posted, mapping.update_row(esc.id, posted)))
        for number, criterion in enumerate(esc.exit_criteria):
            if number >= len(before.criteria):
                row = ExitCriterionRow(escalation_id=esc.id, **mapping.criterion_columns(criterion))
                numbered.append((criterion, row))
            elif _state(criterion) != before.criteria[number]:
                assert criterion.id is not None
                self.session.execute(
                    update(ExitCriterionRow)
                    .where(ExitCriterionRow.id == criterion.id)
                    .values(mapping.criterion_columns(criterion))
                    .execution_options(synchronize_session=False)
                )
        self.session.add_all(written for _, written in numbered)
        self.session.add_all(
            mapping.eta_change_row(esc.id, c) for c in esc.eta_changes[before.eta_changes :]
        )
        self.session.add_all(
            mapping.owner_change_row(esc.id, c) for c in esc.owner_changes[before.owner_changes :]
        )
        self.session.flush()
        for record, written in numbered:
            record.id = written.id

    def _write_news(self, esc: Escalation) -> None:
        """The audit events and outbox messages the change asked for, in its transaction."""
        assert esc.id is not None
        for event in esc.pending_events:
            self.session.add(mapping.event_row("escalation", esc.id, event))
        written_at = esc.updated_at or esc.opened_at
        people = self._people_named(esc)
        for position, message in enumerate(esc.pending_messages):
            payload = _spelled_out(message.payload, esc, people)
            if message.kind is MessageKind.REFRESH_OPENING:
                payload["version"] = esc.version  # an older refresh never overwrites a newer
            message = replace(message, payload=payload)
            row = outbox_row(message, "escalation", esc.id, esc.version, position, written_at)
            row.escalation_id = esc.id  # the opening checklist reads its deliveries by it
            self.session.add(row)
        esc.pending_events.clear()
        esc.pending_messages.clear()

    def _people_named(self, esc: Escalation) -> dict[int, PersonRow]:
        """The actor and the owners, so messages say who did it and whom to invite by e-mail
        (the domain knows people by id; Slack and mail know them by name and address)."""
        ids = {e.actor_id for e in esc.pending_events} | set(esc.owners_with_powers)
        ids |= {esc.product_leader_id}
        wanted = {i for i in ids if i is not None}
        if not wanted or not esc.pending_messages:
            return {}
        rows = self.session.scalars(select(PersonRow).where(PersonRow.id.in_(wanted)))
        return {row.id: row for row in rows}

    def page(self, filters: EscalationFilter) -> EscalationPage:
        slips = (
            select(func.count(EtaChangeRow.id))
            .where(
                EtaChangeRow.escalation_id == EscalationRow.id,
                EtaChangeRow.old_eta.is_not(None),
                EtaChangeRow.new_eta > EtaChangeRow.old_eta,
            )
            .correlate(EscalationRow)
            .scalar_subquery()
        )
        dri = aliased(PersonRow)
        where = listing.conditions(filters)
        total = self.session.scalar(select(func.count(EscalationRow.id)).where(where)) or 0
        query = (
            select(
                EscalationRow.id,
                EscalationRow.customer,
                EscalationRow.account_id,
                EscalationRow.kind,
                EscalationRow.severity,
                EscalationRow.status,
                EscalationRow.summary,
                EscalationRow.dri_id,
                dri.name,
                EscalationRow.opened_at,
                EscalationRow.eta,
                slips,
                EscalationRow.next_internal_update_due,
                EscalationRow.next_customer_update_due,
                EscalationRow.version,
                EscalationRow.closed_at,
            )
            .join(dri, dri.id == EscalationRow.dri_id)
            .where(where)
            .order_by(*listing.order_by(filters, dri))
            .limit(filters.limit)
            .offset(filters.offset)
        )
        items = [EscalationSummary(*tuple(row)) for row in self.session.execute(query)]
        return EscalationPage(items, total, filters.limit, filters.offset)

    def open_severities(self, account_ids: Collection[int]) -> dict[int, list[str]]:
        """The severities of these accounts' open escalations, as `risk_of` takes them: one
        grouped read, however many escalations are open across the desk."""
        if not account_ids:
            return {}
        query = (
            select(EscalationRow.account_id, EscalationRow.severity, func.count())
            .where(
                listing.conditions(EscalationFilter()),
                EscalationRow.account_id.in_(set(account_ids)),
            )
            .group_by(EscalationRow.account_id, EscalationRow.severity)
        )
        severities: dict[int, list[str]] = {}
        for account_id, severity, count in self.session.execute(query):
            severities.setdefault(account_id, []).extend([severity] * count)
        return severities

    def matching_updates(
        self, ids: list[int], filters: EscalationFilter
    ) -> list[tuple[int, str, str]]:
        return listing.matching_updates(self.session, ids, filters)

    def history(self, escalation_id: int, limit: int, after_id: int) -> list[HistoryEntry]:
        query = (
            select(
                EventRow.id,
                EventRow.type,
                EventRow.occurred_at,
                EventRow.actor_id,
                PersonRow.name,
                EventRow.data,
            )
            .outerjoin(PersonRow, PersonRow.id == EventRow.actor_id)
            .where(
                EventRow.subject == "escalation",
                EventRow.subject_id == escalation_id,
                EventRow.id > after_id,
            )
            .order_by(EventRow.id)
            .limit(limit)
        )
        return [HistoryEntry(*row) for row in self.session.execute(query)]

    def clock_events(self, escalation_id: int) -> list[Event]:
        """The lines of the trail the clocks are recomputed from: pauses (R-SLA-2) and the
        standup cadence (R-ESC-10)."""
        rows = self.session.scalars(
            select(EventRow)
            .where(
                EventRow.subject == "escalation",
                EventRow.subject_id == escalation_id,
                EventRow.type.in_((PAUSED, RESUMED, STANDUP_SET, SNOOZED)),
            )
            .order_by(EventRow.id)
        )
        return [Event(r.type, r.occurred_at, r.actor_id, r.data) for r in rows]

    def events(self, escalation_id: int) -> list[Event]:
        rows = self.session.scalars(
            select(EventRow)
            .where(EventRow.subject == "escalation", EventRow.subject_id == escalation_id)
            .order_by(EventRow.id)
        )
        return [Event(r.type, r.occurred_at, r.actor_id, r.data) for r in rows]

    def deliveries(self, escalation_id: int) -> list[Delivery]:
        """What the outbox holds for an escalation, oldest first: the opening checklist's proof."""
        rows = self.session.scalars(
            select(OutboxRow).where(OutboxRow.escalation_id == escalation_id).order_by(OutboxRow.id)
        )
        return [
            Delivery(
                id=r.id,
                state=r.state,
                kind=r.kind,
                destination=r.destination,
                template=r.payload.get("template") if isinstance(r.payload, dict) else None,
                created_at=r.created_at,
                delivered_at=r.delivered_at,
                attempts=r.attempts,
                last_error=r.last_error,
            )
            for r in rows
        ]


def _spelled_out(
    payload: dict[str, Any], esc: Escalation, people: dict[int, PersonRow]
) -> dict[str, Any]:
    """The payload with people named: `by` (who made the change) and `invite` as addresses."""
    data = dict(payload)
    actor = next((e.actor_id for e in reversed(esc.pending_events)), None)
    if "by" not in data and actor in people:
        data["by"] = people[actor].name
    if data.get("dri_id") in people:  # the opening message names the DRI
        data["dri"] = people[data["dri_id"]].name
    roles = {
        esc.dri_id: "dri",
        esc.product_dri_id: "product_dri",
        esc.product_leader_id: "product_leader",
    }
    if isinstance(data.get("invite"), list):
        data["invite"] = [
            {"email": people[i].email, "name": people[i].name, "role": roles.get(i, "owner")}
            for i in data["invite"]
            if isinstance(i, int) and i in people
        ]
    return data
