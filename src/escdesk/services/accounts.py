"""Accounts: the customers escalations are about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import (
    Account,
    AccountStatus,
    ServicesProject,
    Tier,
    parse_choice,
)
from escdesk.domain.errors import InvalidInput
from escdesk.domain.events import Event
from escdesk.domain.people import Person, Role, check_text
from escdesk.services.listing import MAX_LIMIT, Order, Page, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context


@dataclass(frozen=True)
class AccountDetail:
    account: Account
    csm: Person | None
    services_pm: Person | None


@dataclass(frozen=True)
class AddAccount:
    name: str
    tier: Tier
    arr: int
    status: AccountStatus
    deal_size: int | None = None
    csm: str | None = None
    services_project: str | None = None
    services_pm: str | None = None

    @classmethod
    def parse(cls, *, tier: str, status: str, **values: Any) -> AddAccount:
        """From the words a face was given; errors name the field."""
        return cls(
            tier=parse_choice(Tier, tier, "tier"),
            status=parse_choice(AccountStatus, status, "status"),
            **values,
        )


@dataclass(frozen=True)
class ShowAccount:
    key: str


def add_account(uow: UnitOfWork, cmd: AddAccount, actor: Actor, ctx: Context) -> Account:
    actor.require(Permission.MANAGE_ACCOUNTS)
    services_project, services_pm, csm = cmd.services_project, cmd.services_pm, cmd.csm
    if (services_project is None) != (services_pm is None):
        raise InvalidInput(
            "services_project",
            "a services project needs both its name and its PM",
            "Give the project's name and its PM together",
        )
    csm_id = None
    if csm is not None:
        person = uow.people.find(csm, "csm")
        _require_role(person, Role.CSM, "csm")
        csm_id = person.id
    project = None
    if services_project is not None and services_pm is not None:
        pm = uow.people.find(services_pm, "pm")
        _require_role(pm, Role.PS_PM, "pm")
        assert pm.id is not None
        project = ServicesProject(check_text(services_project, "services_project"), pm.id)
    account = Account.create(
        cmd.name,
        cmd.tier,
        cmd.arr,
        cmd.status,
        deal_size=cmd.deal_size,
        csm_id=csm_id,
        services_project=project,
    )
    uow.accounts.add(account)
    uow.accounts.record(
        account,
        Event(
            "account_added",
            ctx.now,
            actor.person_id,
            {
                "name": account.name,
                "tier": account.tier.value,
                "arr": account.arr,
                "status": account.status.value,
            },
        ),
    )
    return account


def _require_role(person: Person, role: Role, field: str) -> None:
    if not person.has(role):
        raise InvalidInput(
            field,
            f"{person.name} does not have the {role} role",
            f"Name a person with the {role} role, or add the role to {person.email}",
        )


def list_accounts(uow: UnitOfWork, query: None, actor: Actor, ctx: Context) -> list[Account]:
    actor.require(Permission.READ)
    return uow.accounts.list()


ACCOUNT_ORDERS = ("name", "tier", "status", "arr", "csm", "sentiment")
"""What the account list sorts by; without an order, largest (ARR) first."""


@dataclass(frozen=True)
class ListAccounts:
    order: Order | None = None
    limit: int = MAX_LIMIT
    offset: int = 0


def accounts_page(
    uow: UnitOfWork, query: ListAccounts, actor: Actor, ctx: Context
) -> Page[Account]:
    """One page of accounts, sorted and cut by the database."""
    actor.require(Permission.READ)
    check_window(query.limit, query.offset)
    check_order(query.order, ACCOUNT_ORDERS)
    items, total = uow.accounts.page(query.order, query.limit, query.offset)
    return Page(items, total, query.limit, query.offset)


def show_account(uow: UnitOfWork, query: ShowAccount, actor: Actor, ctx: Context) -> AccountDetail:
    actor.require(Permission.READ)
    account = uow.accounts.find(query.key, "account")
    ids = {
        i
        for i in (
            account.csm_id,
            account.services_project.pm_id if account.services_project else None,
        )
        if i is not None
    }
    people = uow.people.get_many(ids)
    return AccountDetail(
        account,
        people.get(account.csm_id) if account.csm_id else None,
        people.get(account.services_project.pm_id) if account.services_project else None,
    )
