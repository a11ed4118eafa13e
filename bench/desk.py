"""Run escdesk's use cases from a benchmark as the faces do: a command, its handler, the runner."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from escdesk.domain.access import Actor
from escdesk.domain.severity import DEFAULT_POLICY, SeverityPolicy
from escdesk.services import accounts, people
from escdesk.services import escalations as service
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Handler, Runner


def runner(uow: UnitOfWork, now: datetime, policy: SeverityPolicy = DEFAULT_POLICY) -> Runner:
    return Runner(lambda: uow, lambda: now, policy)


def act(
    uow: UnitOfWork,
    cmd: Any,
    *,
    now: datetime,
    by: str | None = None,
    policy: SeverityPolicy = DEFAULT_POLICY,
    handler: Handler[Any, Any] | None = None,
) -> Any:
    """One change, as escdesk itself or as the person named by e-mail."""
    run = runner(uow, now, policy)
    who = people.acting_as(run, by) if by is not None else Actor.system()
    return run.run(handler or service.HANDLERS[type(cmd)], cmd, who)


def ask(
    uow: UnitOfWork, handler: Handler[Any, Any], query: Any, *, now: datetime | None = None
) -> Any:
    return runner(uow, now or datetime.now(UTC)).read(handler, query, Actor.system())


def add_person(uow: UnitOfWork, *, now: datetime, **values: Any) -> Any:
    return act(uow, people.AddPerson.parse(**values), now=now, handler=people.add_person)


def add_account(uow: UnitOfWork, *, now: datetime, **values: Any) -> Any:
    return act(uow, accounts.AddAccount.parse(**values), now=now, handler=accounts.add_account)
