"""Names for the escalation's own Slack channel (seed 004, R-ESC-12).

Seed 004: "Name the channel #esc_customername (must start with #esc_ to be included in our data
retention policy)". Slack allows only lower-case letters, digits, `-` and `_`, at most 80
characters, so a customer's name is transliterated ("Müller & Söhne GmbH" → `esc_muller-sohne-
gmbh`), not refused. Each escalation has a channel of its own: a customer's second open
escalation, or a name Slack says is taken, gets a numbered suffix (`esc_acme-2`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

PREFIX = "esc_"
MAX_LENGTH = 80
"""Slack's limit for a channel name."""

_LETTERS = str.maketrans(
    {"ß": "ss", "æ": "ae", "ø": "o", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
"""Letters Unicode does not decompose into a base letter and an accent."""
_OUTSIDE = re.compile(r"[^a-z0-9]+")
_FALLBACK = "customer"


def slack_slug(text: str) -> str:
    """Lower-case ASCII letters and digits joined by `-`; accents are dropped, not the letter."""
    lowered = text.lower().translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", lowered)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _OUTSIDE.sub("-", ascii_only).strip("-")


def bare(name: str) -> str:
    """A channel name as Slack stores it: without the `#` people write in front."""
    return name.strip().lstrip("#").lower()


def channel_name(customer: str, taken: Collection[str] = ()) -> str:
    """`esc_<customer>`, with the first free suffix when `taken` (names of other escalations'
    channels, with or without `#`) already holds it."""
    return first_free(slack_slug(customer) or _FALLBACK, taken)


def first_free(slug: str, taken: Collection[str], start: int = 1) -> str:
    """The first of `esc_<slug>`, `esc_<slug>-2`, `esc_<slug>-3`… (from `start`) not taken."""
    used = {bare(name) for name in taken}
    number = start
    while True:
        candidate = numbered(slug, number)
        if candidate not in used:
            return candidate
        number += 1


def numbered(slug: str, number: int) -> str:
    """`esc_<slug>` for 1, `esc_<slug>-<number>` after; the slug is cut so it fits 80."""
    suffix = "" if number <= 1 else f"-{number}"
    room = MAX_LENGTH - len(PREFIX) - len(suffix)
    cut = slug[:room].rstrip("-") or _FALLBACK
    return f"{PREFIX}{cut}{suffix}"


def next_after(name: str) -> str:
    """The name to try when Slack answers `name_taken` for `name`: its number plus one."""
    base = bare(name)
    match = re.fullmatch(rf"{PREFIX}(.+?)(?:-(\d+))?", base)
    if match is None:  # not one of ours: keep it whole and number it
        return numbered(slack_slug(base) or _FALLBACK, 2)
    slug, number = match.group(1), int(match.group(2) or 1)
    return numbered(slug, number + 1)
