"""Severity levels and the policy attached to them (R-ESC-1).

The policy is data, not code: seed 004 gives the defaults, a TOML file may override any of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum
from typing import Any

from escdesk.domain.errors import InvalidInput
from escdesk.domain.values import MAX_DURATION, check_duration


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """Higher is more urgent; lets callers sort and compare without string tricks."""
        return list(Severity).index(self)

    @property
    def is_high_or_critical(self) -> bool:
        return self in (Severity.HIGH, Severity.CRITICAL)


def parse_severity(value: str, field: str = "severity") -> Severity:
    try:
        return Severity(value.strip().lower())
    except ValueError:
        raise InvalidInput(
            field, f"{value!r} is not a severity", "Use one of: critical, high, medium, low"
        ) from None


class Measure(StrEnum):
    """How a commitment is counted (R-SLA-1): on the wall clock, or in the account's working
    hours. In the default 24×7 calendar the two are the same."""

    WALL = "wall"
    BUSINESS = "business"


@dataclass(frozen=True)
class SeverityLevel:
    """What one severity demands: how often each audience hears from us, and who is involved."""

    severity: Severity
    description: str
    cadence: str
    internal_update_every: timedelta
    customer_update_every: timedelta
    standup_every: timedelta | None
    involve: tuple[str, ...]
    internal_update_clock: Measure = Measure.WALL
    customer_update_clock: Measure = Measure.WALL


@dataclass(frozen=True)
class SeverityPolicy:
    levels: Mapping[Severity, SeverityLevel]

    def __getitem__(self, severity: Severity) -> SeverityLevel:
        return self.levels[severity]


_EXECUTIVES = (
    "VP of Sales",
    "Product",
    "CRO",
    "CEO",
    "VP of Customer Success",
    "CSM leader",
)

DEFAULT_POLICY = SeverityPolicy(
    levels={
        Severity.CRITICAL: SeverityLevel(
            Severity.CRITICAL,
            "Major issues significantly impact the customer's ability to deploy or use the "
            "solution; high risk of losing the customer or of significant contraction.",
            "Daily",
            internal_update_every=timedelta(days=1),
            customer_update_every=timedelta(days=1),
            standup_every=timedelta(days=1),
            involve=_EXECUTIVES,
        ),
        Severity.HIGH: SeverityLevel(
            Severity.HIGH,
            "Major issues significantly impact the customer's ability to deploy or use the "
            "solution, risking current adoption, growth and the relationship.",
            "Multiple times per week",
            # The tracker is updated at least daily; the customer hears about 3 times a week.
            internal_update_every=timedelta(days=1),
            customer_update_every=timedelta(hours=56),
            standup_every=timedelta(days=2),
            involve=_EXECUTIVES,
            internal_update_clock=Measure.BUSINESS,
        ),
        Severity.MEDIUM: SeverityLevel(
            Severity.MEDIUM,
            "Issues impact the customer's ability to deploy or use the product, risking "
            "current adoption and renewal.",
            "Weekly to bi-weekly",
            internal_update_every=timedelta(days=7),
            customer_update_every=timedelta(days=7),
            standup_every=timedelta(days=7),
            involve=("CSM leader",),
            internal_update_clock=Measure.BUSINESS,
            customer_update_clock=Measure.BUSINESS,
        ),
        Severity.LOW: SeverityLevel(
            Severity.LOW,
            "Issues impact the customer's ability to deploy or use the product, risking value "
            "realisation, timeline, satisfaction and adoption.",
            "Standard communication",
            internal_update_every=timedelta(days=14),
            customer_update_every=timedelta(days=14),
            standup_every=None,
            involve=("Regional CSM manager", "Account manager"),
            internal_update_clock=Measure.BUSINESS,
            customer_update_clock=Measure.BUSINESS,
        ),
    }
)

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$")
_UNIT = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(value: object, field: str) -> timedelta:
    """'90m', '24h', '3d', '2w' → timedelta; anything else names the field."""
    match = _DURATION.match(value) if isinstance(value, str) else None
    if not match or float(match.group(1)) <= 0:
        raise InvalidInput(
            field,
            f"{value!r} is not a positive duration",
            "Write a number and a unit, e.g. '90m', '24h', '3d' or '2w'",
        )
    try:
        delta = timedelta(**{_UNIT[match.group(2)]: float(match.group(1))})
    except OverflowError:
        delta = MAX_DURATION + MAX_DURATION
    return check_duration(delta, field)


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


_OVERRIDABLE = {
    "description",
    "cadence",
    "internal_update_every",
    "customer_update_every",
    "standup_every",
    "involve",
    "internal_update_clock",
    "customer_update_clock",
}


def policy_with_overrides(
    overrides: Mapping[str, Any], base: SeverityPolicy = DEFAULT_POLICY
) -> SeverityPolicy:
    """Apply a `[severity.<level>]` table from the config file on top of the defaults."""
    levels = dict(base.levels)
    for name, table in overrides.items():
        severity = parse_severity(name, field=f"severity.{name}")
        if not isinstance(table, Mapping):
            raise InvalidInput(
                f"severity.{name}", "must be a table", f"Write it as [severity.{name}]"
            )
        changes: dict[str, Any] = {}
        for key, value in table.items():
            field = f"severity.{name}.{key}"
            if key not in _OVERRIDABLE:
                raise InvalidInput(
                    field,
                    "is not a policy setting",
                    f"Use one of: {', '.join(sorted(_OVERRIDABLE))}",
                )
            if key.endswith("_every"):
                none_allowed = key == "standup_every" and value in ("none", "")
                changes[key] = None if none_allowed else parse_duration(value, field)
            elif key.endswith("_clock"):
                if value not in tuple(Measure):
                    raise InvalidInput(field, f"{value!r} is not a clock", "Use wall or business")
                changes[key] = Measure(value)
            elif key == "involve":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise InvalidInput(field, "must be a list of names", 'e.g. ["CSM leader"]')
                changes[key] = tuple(value)
            else:
                if not isinstance(value, str):
                    raise InvalidInput(field, "must be text", "Quote the value")
                changes[key] = value
        levels[severity] = replace(levels[severity], **changes)
    return SeverityPolicy(levels=levels)
