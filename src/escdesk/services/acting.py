"""Who a delivery-side use case acts for, and the moment it runs at, as small protocols.

A signed-in principal, an API token and the composition root's actor all have a name, maybe a
person behind them, and permissions; handlers ask `can`, never the face. The CLI works on the
database itself, an administrator's power (R-OPS-2), and says so with `DatabaseAdministrator`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from escdesk.domain.access import Permission
from escdesk.domain.errors import Forbidden


class Acting(Protocol):
    @property
    def person_id(self) -> int | None: ...
    @property
    def name(self) -> str: ...
    def can(self, permission: Permission) -> bool: ...


class Moment(Protocol):
    @property
    def now(self) -> datetime: ...


@dataclass(frozen=True)
class At:
    """The context of today's callers: one clock reading."""

    now: datetime


@dataclass(frozen=True)
class DatabaseAdministrator:
    """Whoever runs the CLI against the database: they could change any row anyway."""

    person_id: int | None = None
    name: str = "database administrator"

    def can(self, permission: Permission) -> bool:
        return True


def require(actor: Acting, permission: Permission) -> None:
    """R-OPS-2: refuse, naming who and what, unless the actor may."""
    if not actor.can(permission):
        raise Forbidden(f"{actor.name} may not {permission.value.replace('_', ' ')}")
