"""Small builders with sensible defaults; tests override only what they are about.

Every change goes through the runner, as the faces do: `act(uow, cmd, now=…, by=…)` runs the
command's handler in one transaction as the named person (or as escdesk itself).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from escdesk.domain.access import Actor
from escdesk.domain.accounts import Account
from escdesk.domain.closing import Waiver
from escdesk.domain.escalation import Escalation
from escdesk.domain.people import Person
from escdesk.domain.severity import DEFAULT_POLICY, SeverityPolicy
from escdesk.services import accounts, people, recurring_changes
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import OpenEscalation
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Handler, Runner

_counter = itertools.count(1)
QUIET_MOMENT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
"""The clock of a query that does not depend on it (lists, histories)."""
WAIVED = (Waiver(1, "The customer agreed to close before a full week was measured"),)
"""Waives the default exit criterion of `open_escalation` (R-ESC-9), for a test that closes an
escalation to check something else; a test about exit criteria ticks or waives its own."""


def runner(uow: UnitOfWork, now: datetime, policy: SeverityPolicy = DEFAULT_POLICY) -> Runner:
    return Runner(lambda: uow, lambda: now, policy)


def actor(uow: UnitOfWork, by: str | None, now: datetime) -> Actor:
    """The person named by e-mail or id, or escdesk itself when nobody is named."""
    if by is None:
        return Actor.system()
    return people.acting_as(runner(uow, now), by)


def act(
    uow: UnitOfWork,
    cmd: Any,
    *,
    now: datetime,
    by: str | None = None,
    policy: SeverityPolicy = DEFAULT_POLICY,
    handler: Handler[Any, Any] | None = None,
) -> Any:
    """Run one command as a face would: its handler, one transaction, the actor's rights."""
    handler = handler or {**service.HANDLERS, **recurring_changes.HANDLERS}[type(cmd)]
    return runner(uow, now, policy).run(handler, cmd, actor(uow, by, now))


def ask(
    uow: UnitOfWork, handler: Handler[Any, Any], query: Any, *, now: datetime | None = None
) -> Any:
    """Answer a query as escdesk itself (tests of permissions name their actor)."""
    return runner(uow, now or QUIET_MOMENT).read(handler, query, Actor.system())


def add_person(uow: UnitOfWork, *roles: str, now: datetime, **overrides: Any) -> Person:
    n = next(_counter)
    values: dict[str, Any] = {
        "name": f"Person {n}",
        "email": f"person{n}@example.com",
        "roles": list(roles) or ["support"],
        "timezone": "UTC",
    }
    values.update(overrides)
    cmd = people.AddPerson.parse(**values)
    person: Person = act(uow, cmd, now=now, handler=people.add_person)
    return person


def add_account(uow: UnitOfWork, *, now: datetime, **overrides: Any) -> Account:
    """An enterprise paying account with a CSM unless told otherwise."""
    n = next(_counter)
    values: dict[str, Any] = {
        "name": f"Customer {n}",
        "tier": "enterprise",
        "arr": 120_000,
        "status": "paying",
    }
    if "csm" not in overrides:
        values["csm"] = add_person(uow, "csm", now=now).email
    values.update(overrides)
    cmd = accounts.AddAccount.parse(**values)
    account: Account = act(uow, cmd, now=now, handler=accounts.add_account)
    return account


def open_escalation(uow: UnitOfWork, *, now: datetime, **overrides: Any) -> Escalation:
    """A medium support escalation, not product related, run by a support engineer. Tests
    open several on one account freely (`also`); the refusal of a second one is tested with
    `also=False`."""
    values: dict[str, Any] = {
        "kind": "account_escalation",
        "severity": "medium",
        "route": "support",
        "summary": "Pipelines stall for the whole user base",
        "initial_ask": "An engineer who can read production logs with the customer daily",
        "required_skills": ["PostgreSQL", "production log analysis"],
        "product_related": False,
        "exit_criteria": ["p95 pipeline start under 30 s for a week"],
        "eta": now + timedelta(days=7),
        "also": True,
    }
    policy = overrides.pop("policy", DEFAULT_POLICY)
    by = overrides.pop("by", None)
    values.update(overrides)
    if "account" not in values:
        values["account"] = add_account(uow, now=now).name
    if "dri" not in values and by is None and values["route"] == "support":
        by = add_person(uow, "support", now=now).email
    esc: Escalation = act(uow, OpenEscalation.parse(**values), now=now, by=by, policy=policy)
    return esc


def product_people(uow: UnitOfWork, *, now: datetime) -> dict[str, str]:
    """A product DRI, a director and a leadership-team member, by their e-mail addresses."""
    return {
        "product_dri": add_person(uow, "product", now=now).email,
        "director": add_person(uow, "product_leader_director", now=now).email,
        "plt": add_person(uow, "product_leader_plt", now=now).email,
    }
