"""People and accounts in the store; escalations and recurring issues have modules of their own.

Accounts a unit of work loaded or added are saved when it commits, so a service never forgets a
`save` call. A changed account claims the version it was loaded at (`store.versions`) before its
events are written: a concurrent edit is a Conflict, never a lost update.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from escdesk.domain.accounts import Account
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.domain.events import Event
from escdesk.domain.people import Person
from escdesk.domain.values import id_problem
from escdesk.store import mapping
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

    def list(self, role: str | None = None) -> list[Person]:
        people = [
            mapping.person_from_row(r)
            for r in self.session.scalars(select(PersonRow).order_by(PersonRow.name))
        ]
        return [p for p in people if role is None or role in p.roles]

    def record(self, person: Person, event: Event) -> None:
        assert person.id is not None
        self.session.add(mapping.event_row("person", person.id, event))


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
