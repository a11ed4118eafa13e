"""What no store can hold is bad input, checked once here for every face (R-OPS-4).

Text: a NUL character (PostgreSQL refuses it) or an unpaired surrogate (no UTF-8 encoder takes
it). Ids: only ASCII digits ("²" and "٣" pass `str.isdigit()`), and within the 32-bit integer
columns both stores use. Durations: bounded, so that `now + duration` stays a date. Each refusal
names the field and the fix; the API, the pages, the CLI and the importers all call these.
"""

from __future__ import annotations

import re
from datetime import timedelta

from escdesk.domain.errors import InvalidInput
from escdesk.domain.limits import MAX_ID as MAX_ID  # ids are 32-bit integers in both stores

MAX_DURATION = timedelta(days=3660)
"""No duration escdesk deals in (an ETA, a cadence, a window) is longer than ten years."""

_ASCII_ID = re.compile(r"[0-9]{1,12}")


def storable_problem(value: str) -> str | None:
    """Why no store can hold `value`, or None when one can."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode text (it has an unpaired surrogate)"
    return None


def check_storable(value: str, field: str) -> str:
    """`value` unchanged if a store can hold it; else bad input naming `field`."""
    problem = storable_problem(value)
    if problem is not None:
        raise InvalidInput(field, problem, "Remove the control or broken characters")
    return value


def id_problem(text: str) -> str | None:
    """Why `text` (digits, without any prefix) is no id, or None."""
    if not _ASCII_ID.fullmatch(text):
        return "is not an id (ASCII digits 0-9 only)"
    number = int(text)
    if not 1 <= number <= MAX_ID:
        return f"is not a known id (ids go from 1 to {MAX_ID})"
    return None


def parse_id(value: object, field: str, *, prefix: str = "", example: str = "12") -> int:
    """An id as a person writes it (`12`, or with `prefix` such as `ESC-12`), or bad input."""
    text = value.strip() if isinstance(value, str) else str(value)
    if prefix and text.upper().startswith(prefix.upper()):
        text = text[len(prefix) :].lstrip("-")
    problem = id_problem(text)
    if problem is not None:
        shown = value if isinstance(value, str) else str(value)
        raise InvalidInput(field, f"{shown[:40]!r} {problem}", f"Write it as {example}")
    return int(text)


def check_duration(delta: timedelta, field: str) -> timedelta:
    if delta > MAX_DURATION:
        raise InvalidInput(
            field, "is longer than ten years", "Give a duration of at most 3660 days"
        )
    return delta
