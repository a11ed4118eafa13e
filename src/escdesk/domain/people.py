"""People and the roles the escalation process gives them (PRODUCT.md, "Who uses it")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from escdesk.domain.errors import InvalidInput
from escdesk.domain.values import check_storable


class Role(StrEnum):
    SUPPORT = "support"
    SALES = "sales"
    CSM = "csm"
    CSM_LEADER = "csm_leader"
    PS_PM = "ps_pm"
    MANAGER = "manager"
    PRODUCT = "product"
    PRODUCT_LEADER_DIRECTOR = "product_leader_director"
    PRODUCT_LEADER_PLT = "product_leader_plt"
    EXECUTIVE = "executive"


def parse_roles(values: list[str], field: str = "roles") -> frozenset[Role]:
    roles: set[Role] = set()
    for raw in values:
        for part in raw.split(","):
            name = part.strip().lower().replace("-", "_")
            if not name:
                continue
            try:
                roles.add(Role(name))
            except ValueError:
                raise InvalidInput(
                    field, f"{part.strip()!r} is not a role", f"Use any of: {', '.join(Role)}"
                ) from None
    if not roles:
        raise InvalidInput(field, "at least one role is needed", f"Use any of: {', '.join(Role)}")
    return frozenset(roles)


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def check_email(value: str, field: str = "email") -> str:
    value = value.strip()
    if not _EMAIL.match(value):
        raise InvalidInput(field, f"{value!r} is not an e-mail address", "Write it as name@domain")
    return value.lower()


def check_timezone(value: str, field: str = "timezone") -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        example = "Europe/Berlin" if "Europe/Berlin" in available_timezones() else "UTC"
        raise InvalidInput(
            field, f"{value!r} is not an IANA timezone", f"Use a name such as {example} or UTC"
        ) from None
    return value


def check_text(value: str | None, field: str, *, max_length: int = 200) -> str:
    """Required one-line text: trimmed, not empty, not absurdly long, storable."""
    text = check_storable((value or "").strip(), field)
    if not text:
        raise InvalidInput(field, "must not be empty", f"Give a {field.replace('_', ' ')}")
    if len(text) > max_length:
        raise InvalidInput(field, f"is longer than {max_length} characters", "Shorten it")
    return text


@dataclass
class Person:
    name: str
    email: str
    roles: frozenset[Role]
    timezone: str = "UTC"
    id: int | None = None

    @classmethod
    def create(cls, name: str, email: str, roles: frozenset[Role], timezone: str) -> Person:
        return cls(
            name=check_text(name, "name"),
            email=check_email(email),
            roles=roles,
            timezone=check_timezone(timezone),
        )

    def has(self, role: Role) -> bool:
        return role in self.roles
