"""Small builders with sensible defaults; tests override only what they are about."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from escdesk.domain.accounts import Account
from escdesk.domain.escalation import Escalation
from escdesk.domain.people import Person
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.services import accounts, people
from escdesk.services import escalations as service
from escdesk.services.ports import UnitOfWork

_counter = itertools.count(1)


def add_person(uow: UnitOfWork, *roles: str, now: datetime, **overrides: Any) -> Person:
    n = next(_counter)
    values: dict[str, Any] = {
        "name": f"Person {n}",
        "email": f"person{n}@example.com",
        "roles": list(roles) or ["support"],
        "timezone": "UTC",
    }
    values.update(overrides)
    return people.add_person(uow, now=now, **values)


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
    return accounts.add_account(uow, now=now, **values)


def open_escalation(uow: UnitOfWork, *, now: datetime, **overrides: Any) -> Escalation:
    """A medium support escalation, not product related, run by a support engineer."""
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
        "policy": DEFAULT_POLICY,
    }
    values.update(overrides)
    if "account" not in values:
        values["account"] = add_account(uow, now=now).name
    if "dri" not in values and "by" not in values and values["route"] == "support":
        values["by"] = add_person(uow, "support", now=now).email
    return service.open_escalation(uow, now=now, **values)


def product_people(uow: UnitOfWork, *, now: datetime) -> dict[str, str]:
    """A product DRI, a director and a leadership-team member, by their e-mail addresses."""
    return {
        "product_dri": add_person(uow, "product", now=now).email,
        "director": add_person(uow, "product_leader_director", now=now).email,
        "plt": add_person(uow, "product_leader_plt", now=now).email,
    }
