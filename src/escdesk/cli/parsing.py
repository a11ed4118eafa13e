"""Turn command-line text into values; every failure names the option and how to write it."""

from __future__ import annotations

import re
import sys
from datetime import datetime, timedelta

from escdesk.domain.clock import utc
from escdesk.domain.errors import InvalidInput
from escdesk.domain.severity import parse_duration
from escdesk.domain.values import parse_id

_MONEY = re.compile(r"^([+-]?\d+(?:\.\d+)?)([km]?)$", re.IGNORECASE)

KIND_ALIASES = {
    "account": "account_escalation",
    "star": "ticket_attention_request",
    "ticket": "ticket_attention_request",
}


def escalation_id(value: str) -> int:
    """`12`, `ESC-12` and `esc12` all name escalation 12, as the board prints it."""
    return parse_id(value, "id", prefix="ESC", example="12 or ESC-12")


def request_id(value: str, option: str = "--request") -> int:
    """`7` and `REQ-7` both name request 7."""
    return parse_id(value, option, prefix="REQ", example="7 or REQ-7")


def moment(value: str, option: str, *, now: datetime, relative: bool = False) -> datetime:
    """ISO 8601 (naive means UTC), `now`, or, where `relative`, a duration from now such as
    `+36h`."""
    text = value.strip()
    if text.lower() == "now":
        return now
    if relative and text.startswith("+"):
        return now + parse_duration(text[1:], option)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        hint = " or a time from now such as +3d or +36h" if relative else ""
        raise InvalidInput(
            option,
            f"{value!r} is not a date and time",
            f"Use ISO 8601 such as 2026-11-20T17:00 (UTC unless an offset is given){hint}",
        ) from None
    try:
        return utc(parsed)
    except OverflowError:
        raise InvalidInput(
            option, f"{value!r} is out of range once converted to UTC", "Give a nearer date"
        ) from None


def window(value: str, option: str) -> timedelta:
    return parse_duration(value, option)


def money(value: str, option: str) -> int:
    """Whole currency units; `120000`, `120k` and `1.5M` are accepted. The sign is kept, so
    the domain can refuse a negative amount with its own words."""
    match = _MONEY.match(value.strip().replace(",", "").replace("_", ""))
    if not match:
        raise InvalidInput(
            option, f"{value!r} is not an amount", "Write whole units such as 120000, 120k or 1.5M"
        )
    factor = {"": 1, "k": 1_000, "m": 1_000_000}[match.group(2).lower()]
    return round(float(match.group(1)) * factor)


def kind(value: str) -> str:
    """`account` and `star` are the words support people use; the service knows the rest."""
    return KIND_ALIASES.get(value.strip().lower(), value)


def body(value: str) -> str:
    """`-` reads the text from standard input, so long updates can come from a file or editor."""
    if value == "-":
        return sys.stdin.read()
    return value
