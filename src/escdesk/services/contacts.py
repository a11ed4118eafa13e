"""Customer contacts: who at the customer receives customer-facing updates, in which language.

Handlers run inside the unit of work they are given and never commit; the `*_now` wrappers open
one and commit, for today's callers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, Self

from escdesk.domain.access import Permission
from escdesk.domain.accounts import CustomerContact
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.domain.events import Event
from escdesk.domain.people import check_email
from escdesk.services.acting import Acting, At, Moment, require
from escdesk.services.ports import AccountRepository, ContactRepository


class ContactsUnitOfWork(Protocol):
    @property
    def accounts(self) -> AccountRepository: ...
    @property
    def contacts(self) -> ContactRepository: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> None: ...
    def commit(self) -> None: ...


@dataclass(frozen=True)
class AddContact:
    account: str
    name: str
    email: str
    language: str = "en"


@dataclass(frozen=True)
class RemoveContact:
    account: str
    email: str


@dataclass(frozen=True)
class ListContacts:
    account: str


def add_contact(
    uow: ContactsUnitOfWork, cmd: AddContact, actor: Acting, ctx: Moment
) -> CustomerContact:
    require(actor, Permission.MANAGE_ACCOUNTS)
    account = uow.accounts.find(cmd.account, "account")
    assert account.id is not None
    contact = CustomerContact.create(account.id, cmd.name, cmd.email, cmd.language)
    if uow.contacts.find(account.id, contact.email) is not None:
        raise InvalidInput(
            "email",
            f"{contact.email} is already a contact of {account.name}",
            "Remove it first to change the name or language",
        )
    added = uow.contacts.add(contact, ctx.now)
    uow.accounts.record(
        account,
        Event(
            "contact_added",
            ctx.now,
            actor.person_id,
            {"email": added.email, "name": added.name, "language": added.language},
        ),
    )
    return added


def remove_contact(uow: ContactsUnitOfWork, cmd: RemoveContact, actor: Acting, ctx: Moment) -> None:
    require(actor, Permission.MANAGE_ACCOUNTS)
    account = uow.accounts.find(cmd.account, "account")
    assert account.id is not None
    email = check_email(cmd.email)
    if not uow.contacts.remove(account.id, email):
        raise NotFound(f"contact of {account.name}", email)
    event = Event("contact_removed", ctx.now, actor.person_id, {"email": email})
    uow.accounts.record(account, event)


def list_contacts(
    uow: ContactsUnitOfWork, query: ListContacts, actor: Acting, ctx: Moment
) -> list[CustomerContact]:
    require(actor, Permission.READ)
    account = uow.accounts.find(query.account, "account")
    assert account.id is not None
    return uow.contacts.of_account(account.id)


def add_contact_now(
    uow: ContactsUnitOfWork, cmd: AddContact, actor: Acting, now: datetime
) -> CustomerContact:
    with uow:
        contact = add_contact(uow, cmd, actor, At(now))
        uow.commit()
    return contact


def remove_contact_now(
    uow: ContactsUnitOfWork, cmd: RemoveContact, actor: Acting, now: datetime
) -> None:
    with uow:
        remove_contact(uow, cmd, actor, At(now))
        uow.commit()


def list_contacts_now(
    uow: ContactsUnitOfWork, query: ListContacts, actor: Acting, now: datetime
) -> list[CustomerContact]:
    with uow:
        return list_contacts(uow, query, actor, At(now))
