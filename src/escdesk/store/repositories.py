"""One repository per aggregate: load rows into domain objects and save them back.

Aggregates that a unit of work loaded or added are saved when it commits, so a service never
forgets a `save` call; the version column turns a concurrent edit into a Conflict, never a
lost update.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.orm.exc import StaleDataError

from escdesk.domain.accounts import Account
from escdesk.domain.checklist import Delivery
from escdesk.domain.errors import Conflict, InvalidInput, NotFound
from escdesk.domain.escalation import Escalation
from escdesk.domain.events import Event
from escdesk.domain.people import Person
from escdesk.domain.records import Status
from escdesk.services.views import (
    EscalationFilter,
    EscalationPage,
    EscalationSummary,
    HistoryEntry,
)
from escdesk.store import mapping
from escdesk.store.outbox_repository import outbox_row
from escdesk.store.tables import (
    AccountRow,
    EscalationRow,
    EtaChangeRow,
    EventRow,
    ExitCriterionRow,
    OutboxRow,
    OwnerChangeRow,
    PersonRow,
    UpdateRow,
)


def _event_row(subject: str, subject_id: int, event: Event) -> EventRow:
    return EventRow(
        subject=subject,
        subject_id=subject_id,
        type=event.type,
        occurred_at=event.at,
        actor_id=event.actor_id,
        data=event.data,
    )


def _flush_or_conflict(
    session: Session, table: type[AccountRow] | type[EscalationRow], kind: str, key: int | None
) -> None:
    """Flush; the UPDATE … WHERE version = ? runs here. No row changed means someone else won."""
    try:
        session.flush()
    except StaleDataError:
        session.rollback()
        current = session.scalar(select(table.version).where(table.id == key))
        raise Conflict(kind, key, current) from None


def _numeric_id(key: str) -> int | None:
    text = key.strip().upper().removeprefix("ESC-")
    return int(text) if text.isdigit() else None


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person: Person) -> None:
        taken = self.session.scalar(select(PersonRow.id).where(PersonRow.email == person.email))
        if taken is not None:
            raise InvalidInput(
                "email",
                f"{person.email} is already taken",
                "Use another address, or leave the person as they are",
            )
        row = PersonRow(
            name=person.name,
            email=person.email,
            roles=sorted(person.roles),
            timezone=person.timezone,
            created_at=datetime.now(UTC),
        )
        self.session.add(row)
        self.session.flush()
        person.id = row.id

    def get(self, person_id: int) -> Person:
        row = self.session.get(PersonRow, person_id)
        if row is None:
            raise NotFound("person", person_id)
        return mapping.person_from_row(row)

    def find(self, key: str, field: str) -> Person:
        """By id or e-mail address, as people are named on the command line."""
        number = _numeric_id(key)
        condition = (
            PersonRow.id == number
            if number is not None
            else (PersonRow.email == key.strip().lower())
        )
        row = self.session.scalar(select(PersonRow).where(condition))
        if row is None:
            raise InvalidInput(
                field,
                f"no person {key!r}",
                "Name a person by e-mail or id; see `escdesk people list`",
            )
        return mapping.person_from_row(row)

    def get_many(self, ids: set[int]) -> dict[int, Person]:
        if not ids:
            return {}
        rows = self.session.scalars(select(PersonRow).where(PersonRow.id.in_(ids)))
        return {row.id: mapping.person_from_row(row) for row in rows}

    def list(self, role: str | None = None) -> list[Person]:
        people = [
            mapping.person_from_row(r)
            for r in self.session.scalars(select(PersonRow).order_by(PersonRow.name))
        ]
        return [p for p in people if role is None or role in p.roles]

    def record(self, person: Person, event: Event) -> None:
        assert person.id is not None
        self.session.add(_event_row("person", person.id, event))


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: list[Account] = []

    def add(self, account: Account) -> None:
        clash = self.session.scalar(
            select(AccountRow.name).where(
                or_(
                    func.lower(AccountRow.name) == account.name.lower(),
                    AccountRow.slug == account.slug,
                )
            )
        )
        if clash is not None:
            raise InvalidInput(
                "name", f"an account {clash!r} already exists", "Choose a distinct name"
            )
        row = AccountRow(created_at=datetime.now(UTC))
        mapping.account_to_row(account, row)
        self.session.add(row)
        self.session.flush()
        account.id, account.version = row.id, row.version
        self.seen.append(account)

    def get(self, account_id: int) -> Account:
        row = self.session.get(AccountRow, account_id)
        if row is None:
            raise NotFound("account", account_id)
        return self._track(mapping.account_from_row(row))

    def find(self, key: str, field: str) -> Account:
        """By id, name (any case) or slug."""
        number = _numeric_id(key)
        condition = (
            AccountRow.id == number
            if number is not None
            else or_(
                func.lower(AccountRow.name) == key.strip().lower(), AccountRow.slug == key.strip()
            )
        )
        row = self.session.scalar(select(AccountRow).where(condition))
        if row is None:
            raise InvalidInput(
                field,
                f"no account {key!r}",
                "Name an account by name or id; see `escdesk accounts list`",
            )
        return self._track(mapping.account_from_row(row))

    def list(self) -> list[Account]:
        rows = self.session.scalars(select(AccountRow).order_by(AccountRow.arr.desc()))
        return [mapping.account_from_row(r) for r in rows]

    def record(self, account: Account, event: Event) -> None:
        assert account.id is not None
        self.session.add(_event_row("account", account.id, event))

    def _track(self, account: Account) -> Account:
        self.seen.append(account)
        return account

    def save_seen(self) -> None:
        for account in self.seen:
            row = self.session.get(AccountRow, account.id)
            assert row is not None
            mapping.account_to_row(account, row)
            _flush_or_conflict(self.session, AccountRow, "account", account.id)


_SEVERITY_RANK = case(
    {"critical": 0, "high": 1, "medium": 2, "low": 3}, value=EscalationRow.severity, else_=4
)


class EscalationRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: list[Escalation] = []

    def add(self, escalation: Escalation) -> None:
        self.seen.append(escalation)

    def get(self, escalation_id: int, expected_version: int | None = None) -> Escalation:
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
        if expected_version is not None and row.version != expected_version:
            raise Conflict("escalation", escalation_id, row.version)
        escalation = mapping.escalation_from_row(row)
        self.seen.append(escalation)
        return escalation

    def save_seen(self) -> None:
        for escalation in self.seen:
            self._save(escalation)

    def _save(self, esc: Escalation) -> None:
        if esc.id is None:
            row = EscalationRow()
            mapping.escalation_to_row(esc, row)
            self.session.add(row)
        else:
            found = self.session.get(EscalationRow, esc.id)
            assert found is not None
            row = found
            if not esc.pending_events:
                return
            mapping.escalation_to_row(esc, row)
        _flush_or_conflict(self.session, EscalationRow, "escalation", esc.id)
        esc.id, esc.version = row.id, row.version
        for update in esc.updates[len(row.updates) :]:
            row.updates.append(
                UpdateRow(
                    audience=update.audience.value,
                    body=update.body,
                    author_id=update.author_id,
                    posted_at=update.posted_at,
                )
            )
        for criterion, crow in zip(esc.exit_criteria, row.exit_criteria, strict=False):
            mapping.criterion_to_row(criterion, crow)
        for criterion in esc.exit_criteria[len(row.exit_criteria) :]:
            crow = ExitCriterionRow()
            mapping.criterion_to_row(criterion, crow)
            row.exit_criteria.append(crow)
        for c in esc.eta_changes[len(row.eta_changes) :]:
            row.eta_changes.append(
                EtaChangeRow(
                    changed_at=c.changed_at,
                    old_eta=c.old_eta,
                    new_eta=c.new_eta,
                    reason=c.reason,
                    by_id=c.by_id,
                )
            )
        for o in esc.owner_changes[len(row.owner_changes) :]:
            row.owner_changes.append(
                OwnerChangeRow(
                    role=o.role.value,
                    old_id=o.old_id,
                    new_id=o.new_id,
                    reason=o.reason,
                    by_id=o.by_id,
                    changed_at=o.changed_at,
                )
            )
        for event in esc.pending_events:
            self.session.add(_event_row("escalation", row.id, event))
        written_at = esc.updated_at or esc.opened_at
        for position, message in enumerate(esc.pending_messages):
            outbox = outbox_row(message, "escalation", row.id, row.version, position, written_at)
            outbox.escalation_id = row.id  # the opening checklist reads its deliveries by it
            self.session.add(outbox)
        esc.pending_events.clear()
        esc.pending_messages.clear()

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
        conditions = []
        if filters.severity:
            conditions.append(EscalationRow.severity == filters.severity)
        if filters.status:
            conditions.append(EscalationRow.status == filters.status)
        elif not filters.include_closed:
            conditions.append(EscalationRow.status != Status.CLOSED.value)
        if filters.dri_id is not None:
            conditions.append(EscalationRow.dri_id == filters.dri_id)
        if filters.account_id is not None:
            conditions.append(EscalationRow.account_id == filters.account_id)
        if filters.owner_id is not None:
            conditions.append(
                or_(
                    EscalationRow.dri_id == filters.owner_id,
                    EscalationRow.product_dri_id == filters.owner_id,
                    EscalationRow.product_leader_id == filters.owner_id,
                )
            )
        if filters.due_before is not None:
            conditions.append(
                or_(
                    EscalationRow.next_internal_update_due < filters.due_before,
                    EscalationRow.next_customer_update_due < filters.due_before,
                )
            )
        where = and_(*conditions) if conditions else and_(True)
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
            .order_by(_SEVERITY_RANK, EscalationRow.opened_at, EscalationRow.id)
            .limit(filters.limit)
            .offset(filters.offset)
        )
        items = [EscalationSummary(*row) for row in self.session.execute(query)]
        return EscalationPage(items, total, filters.limit, filters.offset)

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
