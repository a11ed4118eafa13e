"""Breaches (R-SLA-3): every missed due moment, once, with how late, by severity, DRI and account.

The scheduler records a breach the first time it sees a due moment pass without its update and
marks it resolved when the clock moves on; how late it is counts until then (or until `now`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol, cast

from escdesk.domain.access import Actor, Permission
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context


@dataclass(frozen=True)
class Breach:
    id: int
    escalation_id: int
    audience: str
    due_at: datetime
    resolved_at: datetime | None
    severity: str
    dri_id: int
    dri_name: str
    account_id: int
    account_name: str

    def late_by(self, now: datetime) -> timedelta:
        return (self.resolved_at or now) - self.due_at


class BreachRepository(Protocol):
    def list(self, since: datetime | None, limit: int) -> list[Breach]: ...


@dataclass(frozen=True)
class ListBreaches:
    since: datetime | None = None
    limit: int = 1000


@dataclass(frozen=True)
class BreachReport:
    now: datetime
    items: list[Breach]

    def by(self, key: str) -> dict[str, int]:
        """How many breaches per severity, DRI or account."""
        name = {"severity": "severity", "dri": "dri_name", "account": "account_name"}[key]
        return dict(Counter(str(getattr(b, name)) for b in self.items).most_common())

    def open(self) -> list[Breach]:
        return [b for b in self.items if b.resolved_at is None]


def list_breaches(uow: UnitOfWork, query: ListBreaches, actor: Actor, ctx: Context) -> BreachReport:
    actor.require(Permission.READ)
    repo = cast("_BreachUnitOfWork", uow).breaches
    return BreachReport(ctx.now, repo.list(query.since, query.limit))


class _BreachUnitOfWork(UnitOfWork, Protocol):
    breaches: BreachRepository
