"""People and accounts in the store; escalations and recurring issues have modules of their own.

Accounts a unit of work loaded or added are saved when it commits, so a service never forgets a
`save` call. A changed account claims the version it was loaded at (`store.versions`) before its
events are written: a concurrent edit is a Conflict, never a lost update.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String, and_, case, cast, func, or_, select, true, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from escdesk.domain.accounts import Account
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.domain.events import Event
from escdesk.domain.people import Person
from escdesk.domain.values import id_problem
from escdesk.services.listing import Order
from escdesk.store import mapping
from escdesk.store.ordering import ordered
from escdesk.store.tables import AccountRow, PersonRow
from escdesk.store.versions import Tracked, claim_version


def _numeric_id(key: str) -> int | None:
    text = key.strip().upper().removeprefix("ESC-")
    return int(text) if id_problem(text) is None else None


def _insert_unique(session: Session, row: AccountRow | PersonRow, taken: InvalidInput) -> None:
    """Insert now. The check before it cannot see a writer who took the same name or address
    meanwhile; the unique index does, and that is the same refusal, not an internal error."""
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise taken from None


class PeopleRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, person: Person) -> None:
        taken = InvalidInput(
            "email",
            f"{person.email} is already taken",
            "Use another address, or leave the person as they are",
        )
        if self.session.scalar(select(PersonRow.id).where(PersonRow.email == person.email)):
            raise taken
        row = PersonRow(
            name=person.name,
            email=person.email,
            roles=sorted(person.roles),
            timezone=person.timezone,
            created_at=datetime.now(UTC),
        )
        _insert_unique(self.session, row, taken)
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

    def page(
        self, role: str | None, order: Order | None, limit: int, offset: int
    ) -> tuple[list[Person], int]:
        """A page of people (of `role`) in PEOPLE_ORDERS, and how many there are."""
        where = and_(true())
        if role is not None:
            # roles is a JSON list of fixed words: the quoted word matches it and no other,
            # on SQLite's JSON text and PostgreSQL's JSONB cast to text alike.
            where = cast(PersonRow.roles, String).like(f'%"{role}"%')
        columns = {"name": PersonRow.name, "email": PersonRow.email, "timezone": PersonRow.timezone}
        key = order or Order("name")
        column = func.lower(columns[key.key])
        total = self.session.scalar(select(func.count(PersonRow.id)).where(where)) or 0
        rows = self.session.scalars(
            select(PersonRow)
            .where(where)
            .order_by(*ordered(column, key.descending, PersonRow.id))
            .limit(limit)
            .offset(offset)
        )
        return [mapping.person_from_row(r) for r in rows], total

    def list(self, role: str | None = None) -> list[Person]:
        people = [
            mapping.person_from_row(r)
            for r in self.session.scalars(select(PersonRow).order_by(PersonRow.name))
        ]
        return [p for p in people if role is None or role in p.roles]

    def record(self, person: Person, event: Event) -> None:
        assert person.id is not None
        self.session.add(mapping.event_row("person", person.id, event))


_TIER_RANK = case(
    {"strategic": 0, "enterprise": 1, "mid_market": 2, "smb": 3}, value=AccountRow.tier, else_=4
)
_SENTIMENT_RANK = case(
    {"at_risk": 0, "yellow": 1, "green": 2}, value=AccountRow.sentiment, else_=3
)  # worst first


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[int, Tracked[Account]] = {}
        self._events: dict[int, list[Event]] = {}

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
        columns = mapping.account_columns(account)
        row = AccountRow(created_at=datetime.now(UTC), **columns)
        _insert_unique(
            self.session,
            row,
            InvalidInput(
                "name", f"an account {account.name!r} already exists", "Choose a distinct name"
            ),
        )
        account.id, account.version = row.id, row.version
        self._tracked[row.id] = Tracked(account, row.version, columns, fresh=True)

    def get(self, account_id: int) -> Account:
        """The account as this unit of work first loaded it (one object per account)."""
        if account_id in self._tracked:
            return self._tracked[account_id].aggregate
        row = self.session.get(AccountRow, account_id)
        if row is None:
            raise NotFound("account", account_id)
        return self._track(row)

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
        return self._track(row)

    def hold(self, account_id: int) -> None:
        """Hold the account until this unit of work ends, so that what is checked next about
        it (is an escalation already open?) stays true until the commit: another writer doing
        the same waits here, then reads what this one committed. PostgreSQL locks the row;
        SQLite has one writer at a time, so a write that changes nothing takes its lock (a
        read alone would begin no transaction there)."""
        if self.session.get_bind().dialect.name == "postgresql":
            self.session.execute(
                select(AccountRow.id).where(AccountRow.id == account_id).with_for_update()
            )
        else:
            self.session.execute(
                update(AccountRow).where(AccountRow.id == account_id).values(id=AccountRow.id)
            )

    def page(self, order: Order | None, limit: int, offset: int) -> tuple[list[Account], int]:
        """A page of accounts in ACCOUNT_ORDERS (largest first without one), for reading."""
        csm = aliased(PersonRow)
        key = order or Order("arr", descending=True)
        column = {
            "name": func.lower(AccountRow.name),
            "tier": _TIER_RANK,
            "status": AccountRow.status,
            "arr": AccountRow.arr,
            "csm": func.lower(csm.name),
            "sentiment": _SENTIMENT_RANK,
        }[key.key]
        total = self.session.scalar(select(func.count(AccountRow.id))) or 0
        query = (
            select(AccountRow)
            .outerjoin(csm, csm.id == AccountRow.csm_id)
            .order_by(*ordered(column, key.descending, AccountRow.id))
            .limit(limit)
            .offset(offset)
        )
        return [mapping.account_from_row(r) for r in self.session.scalars(query)], total

    def list(self) -> list[Account]:
        """For reading only: changes to these accounts are not saved."""
        rows = self.session.scalars(select(AccountRow).order_by(AccountRow.arr.desc()))
        return [mapping.account_from_row(r) for r in rows]

    def record(self, account: Account, event: Event) -> None:
        """An event about the account, written with it at commit (and only if its save wins)."""
        assert account.id is not None
        if account.id not in self._tracked:
            columns = mapping.account_columns(account)
            self._tracked[account.id] = Tracked(account, account.version, columns)
        self._events.setdefault(account.id, []).append(event)

    def name_taken(self, account: Account) -> str | None:
        """The name of another account that `account`'s name or slug would clash with."""
        return self.session.scalar(
            select(AccountRow.name).where(
                AccountRow.id != account.id,
                or_(
                    func.lower(AccountRow.name) == account.name.lower(),
                    AccountRow.slug == account.slug,
                ),
            )
        )

    def _track(self, row: AccountRow) -> Account:
        if row.id not in self._tracked:
            account = mapping.account_from_row(row)
            columns = mapping.account_columns(account)
            self._tracked[row.id] = Tracked(account, account.version, columns)
        return self._tracked[row.id].aggregate

    def save_seen(self) -> None:
        # Claims in id order, so two units of work never wait for each other in a circle.
        for key in sorted(self._tracked):
            tracked = self._tracked[key]
            account = tracked.aggregate
            columns = mapping.account_columns(account)
            events = self._events.pop(key, [])
            changed = columns != tracked.columns
            if changed or (events and not tracked.fresh):
                account.version = tracked.version = claim_version(
                    self.session, AccountRow, "account", key, tracked.version, columns
                )
            self.session.add_all(mapping.event_row("account", key, e) for e in events)
            tracked.columns, tracked.fresh = columns, False
