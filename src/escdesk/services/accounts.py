"""Accounts: the customers escalations are about."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from escdesk.domain.access import Actor, Permission
from escdesk.domain.account_risk import AccountRisk, risk_of
from escdesk.domain.accounts import (
    Account,
    AccountStatus,
    Sentiment,
    ServicesProject,
    Tier,
    parse_choice,
    parse_sentiment,
)
from escdesk.domain.errors import Conflict, Forbidden, InvalidInput
from escdesk.domain.events import Event
from escdesk.domain.people import Person, Role, check_text
from escdesk.services.listing import MAX_LIMIT, Order, Page, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context
from escdesk.services.views import EscalationSummary


@dataclass(frozen=True)
class AccountDetail:
    account: Account
    csm: Person | None
    services_pm: Person | None
    risk: AccountRisk | None = None
    sentiment_set_by: Person | None = None


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
class EditAccount:
    """New values for what `AddAccount` took, and the sentiment; None leaves a value as it is,
    an empty text removes the CSM or the services project. `version` is the version the editor
    last saw: a stale one is a conflict, not a silent overwrite."""

    key: str
    name: str | None = None
    tier: Tier | None = None
    arr: int | None = None
    status: AccountStatus | None = None
    deal_size: int | None = None
    csm: str | None = None
    services_project: str | None = None
    services_pm: str | None = None
    sentiment: Sentiment | None = None
    version: int | None = None

    @classmethod
    def parse(
        cls,
        *,
        tier: str | None = None,
        status: str | None = None,
        sentiment: str | None = None,
        **values: Any,
    ) -> EditAccount:
        """From the words a face was given; errors name the field."""
        return cls(
            tier=parse_choice(Tier, tier, "tier") if tier else None,
            status=parse_choice(AccountStatus, status, "status") if status else None,
            sentiment=parse_sentiment(sentiment) if sentiment else None,
            **values,
        )

    @property
    def changes_anything(self) -> bool:
        given = (self.name, self.tier, self.arr, self.status, self.deal_size, self.csm)
        more = (self.services_project, self.services_pm, self.sentiment)
        return any(v is not None for v in (*given, *more))


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


def edit_account(uow: UnitOfWork, cmd: EditAccount, actor: Actor, ctx: Context) -> Account:
    """Seed 004: keep the account true. Its CSM may edit it, save handing it to another CSM;
    CSM leaders and managers may edit any account."""
    if not cmd.changes_anything:
        raise InvalidInput("account", "nothing to change", "Give at least one new value")
    actor.require(Permission.EDIT_ACCOUNT)
    account = uow.accounts.find(cmd.key, "account")
    if cmd.version is not None and cmd.version != account.version:
        raise Conflict("account", account.id, account.version)
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("name", cmd.name),
            ("tier", cmd.tier),
            ("arr", cmd.arr),
            ("status", cmd.status),
            ("deal_size", cmd.deal_size),
        )
        if value is not None
    }
    if cmd.csm is not None:
        changes["csm_id"] = _csm_id(uow, cmd.csm)
    if cmd.services_project is not None or cmd.services_pm is not None:
        changes["services_project"] = _project(uow, cmd.services_project, cmd.services_pm)
    _require_may_edit(actor, account, changes)
    changed = account.edit(**changes)
    if "name" in changed and (clash := uow.accounts.name_taken(account)) is not None:
        raise InvalidInput("name", f"an account {clash!r} already exists", "Choose a distinct name")
    if changed:
        data = {name: {"from": _plain(a), "to": _plain(b)} for name, (a, b) in changed.items()}
        uow.accounts.record(account, Event("account_edited", ctx.now, actor.person_id, data))
    if cmd.sentiment is not None and cmd.sentiment is not account.sentiment:
        set_sentiment(uow, account, cmd.sentiment, actor, ctx)
    return account


def set_sentiment(
    uow: UnitOfWork,
    account: Account,
    sentiment: Sentiment,
    actor: Actor,
    ctx: Context,
    escalation_id: int | None = None,
) -> None:
    """Record the sentiment with who set it and when; the caller has checked the permission
    (editing the account, or closing one of its escalations)."""
    previous = account.set_sentiment(sentiment, by_id=actor.person_id, at=ctx.now)
    data: dict[str, Any] = {"sentiment": sentiment.value, "previous": previous.value}
    if escalation_id is not None:
        data["escalation_id"] = escalation_id
    uow.accounts.record(account, Event("sentiment_set", ctx.now, actor.person_id, data))


def may_edit(actor: Actor, account: Account) -> bool:
    """What a face asks before it offers the edit form; the handler asks again."""
    if actor.can(Permission.MANAGE_ACCOUNTS):
        return True
    return actor.can(Permission.EDIT_ACCOUNT) and _is_its_csm(actor, account)


def _is_its_csm(actor: Actor, account: Account) -> bool:
    return actor.person_id is not None and actor.person_id == account.csm_id


def _require_may_edit(actor: Actor, account: Account, changes: dict[str, Any]) -> None:
    if actor.can(Permission.MANAGE_ACCOUNTS):
        return
    if not _is_its_csm(actor, account):
        raise Forbidden(
            f"{actor.name} is not the CSM of {account.name}: its CSM, a CSM leader or a "
            "manager edits it"
        )
    if changes.get("csm_id", account.csm_id) != account.csm_id:
        raise Forbidden(
            f"handing {account.name} to another CSM is for a CSM leader or a manager, "
            f"not for {actor.name}"
        )


NONE_WORDS = ("", "none")
"""How a face says "no CSM" or "no services project any more"."""


def _csm_id(uow: UnitOfWork, key: str) -> int | None:
    if key.strip().lower() in NONE_WORDS:
        return None
    person = uow.people.find(key, "csm")
    _require_role(person, Role.CSM, "csm")
    return person.id


def _project(uow: UnitOfWork, name: str | None, pm_key: str | None) -> ServicesProject | None:
    name, pm_key = (name or "").strip(), (pm_key or "").strip()
    if name.lower() in NONE_WORDS and pm_key.lower() in NONE_WORDS:
        return None
    if not (name and pm_key):
        raise InvalidInput(
            "services_project",
            "a services project needs both its name and its PM",
            "Give the project's name and its PM together, or neither to end the project",
        )
    pm = uow.people.find(pm_key, "pm")
    _require_role(pm, Role.PS_PM, "pm")
    assert pm.id is not None
    return ServicesProject(check_text(name, "services_project"), pm.id)


def _plain(value: Any) -> Any:
    """A value as the audit trail stores it (JSON)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, ServicesProject):
        return {"name": value.name, "pm_id": value.pm_id}
    return value


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


def open_severities(open_items: Iterable[EscalationSummary]) -> dict[int, list[str]]:
    """The severities of each account's open escalations, as `risk_of` takes them."""
    severities: dict[int, list[str]] = {}
    for item in open_items:
        severities.setdefault(item.account_id, []).append(item.severity)
    return severities


@dataclass(frozen=True)
class AccountsPage(Page[Account]):
    at_risk: frozenset[int] = frozenset()
    """The page's accounts at risk now (`risk_of`): an open critical or high escalation, or a
    sentiment a person set."""


def accounts_page(uow: UnitOfWork, query: ListAccounts, actor: Actor, ctx: Context) -> AccountsPage:
    """One page of accounts, sorted and cut by the database, with which of them are at risk."""
    actor.require(Permission.READ)
    check_window(query.limit, query.offset)
    check_order(query.order, ACCOUNT_ORDERS)
    items, total = uow.accounts.page(query.order, query.limit, query.offset)
    severities = uow.escalations.open_severities([a.id for a in items if a.id])
    at_risk = frozenset(
        a.id for a in items if a.id and risk_of(a, severities.get(a.id, [])).at_risk
    )
    return AccountsPage(items, total, query.limit, query.offset, at_risk)


def show_account(uow: UnitOfWork, query: ShowAccount, actor: Actor, ctx: Context) -> AccountDetail:
    actor.require(Permission.READ)
    account = uow.accounts.find(query.key, "account")
    pm_id = account.services_project.pm_id if account.services_project else None
    set_by = account.sentiment_set_by_id
    people = uow.people.get_many({i for i in (account.csm_id, pm_id, set_by) if i is not None})
    open_now = (
        uow.escalations.open_severities([account.id]).get(account.id, []) if account.id else []
    )
    return AccountDetail(
        account,
        people.get(account.csm_id) if account.csm_id else None,
        people.get(pm_id) if pm_id else None,
        risk_of(account, open_now),
        people.get(set_by) if set_by else None,
    )
