"""Domain objects with defaults, for tests that need no database."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from escdesk.domain.accounts import Account, AccountStatus, ServicesProject, Tier
from escdesk.domain.dri import Owners, Route
from escdesk.domain.escalation import Escalation
from escdesk.domain.escalation_opening import open_escalation
from escdesk.domain.people import Person, Role
from escdesk.domain.records import EscalationKind
from escdesk.domain.severity import DEFAULT_POLICY, Severity

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
_ids = itertools.count(1)


def person(*roles: Role, **overrides: Any) -> Person:
    n = next(_ids)
    values: dict[str, Any] = {
        "name": f"Person {n}",
        "email": f"p{n}@example.com",
        "roles": frozenset(roles or (Role.SUPPORT,)),
        "timezone": "UTC",
        "id": n,
    }
    values.update(overrides)
    return Person(**values)


def account(*, csm: Person | None = None, pm: Person | None = None, **overrides: Any) -> Account:
    values: dict[str, Any] = {
        "name": "Acme Corp",
        "slug": "acme-corp",
        "tier": Tier.ENTERPRISE,
        "arr": 250_000,
        "status": AccountStatus.PAYING,
        "csm_id": csm.id if csm else None,
        "services_project": ServicesProject("Migration to cloud", pm.id) if pm and pm.id else None,
        "id": next(_ids),
    }
    values.update(overrides)
    return Account(**values)


def escalation(
    *,
    severity: Severity = Severity.MEDIUM,
    route: Route = Route.SUPPORT,
    product_related: bool = False,
    owners: Owners | None = None,
    acct: Account | None = None,
    now: datetime = NOW,
    **overrides: Any,
) -> Escalation:
    """A medium support escalation run by a support engineer, unless told otherwise."""
    values: dict[str, Any] = {
        "kind": EscalationKind.ACCOUNT_ESCALATION,
        "summary": "Pipelines stall",
        "initial_ask": "An engineer who can read production logs",
        "required_skills": ["PostgreSQL"],
        "exit_criteria": ["p95 under 30 s for a week"],
        "eta": now + timedelta(days=7),
        "by_id": None,
    }
    values.update(overrides)
    return open_escalation(
        account=acct or account(csm=person(Role.CSM)),
        severity=severity,
        route=route,
        product_related=product_related,
        owners=owners or Owners(dri=person(Role.SUPPORT)),
        now=now,
        policy=DEFAULT_POLICY,
        **values,
    )


def criteria_met(esc: Escalation, now: datetime = NOW) -> Escalation:
    """Tick every open exit criterion, so that a test about something else may close it."""
    for number, criterion in enumerate(esc.exit_criteria, start=1):
        if not criterion.done:
            esc.mark_exit_criterion(number, True, by_id=None, now=now)
    return esc
