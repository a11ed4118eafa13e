"""A helpdesk where the team knows something the text does not: for each query ticket, one
earlier ticket says the same thing in other words and comes from the same account (the team
links it as the duplicate), and another repeats the query's words from another account (the
team says "not related"). The shipped ranker, reading text, puts the wrong one first.

`flipped` query numbers get the opposite story (the duplicate is the one with the same words,
from another account), so a ranker that learned "same account" from the others ranks them worse.
"""

from __future__ import annotations

import string
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from escdesk.similarity.training import held_back
from tests.ticket_factories import T0, record


def _word(n: int, salt: int) -> str:
    """A word no other group uses: letters only, so it is one term."""
    letters = string.ascii_lowercase
    out, value = [], n * 7 + salt * 1000 + 17_000
    while value:
        value, digit = divmod(value, 26)
        out.append(letters[digit])
    return "q" + "".join(out)


def query_keys(count: int, *, held: bool) -> list[str]:
    """Query keys that fall on the held-back side (or the training side) of the split."""
    keys = (f"Q-{n}" for n in range(10_000))
    return [k for k in keys if held_back(k) == held][:count]


def team_helpdesk(
    queries: list[str],
    flipped: Collection[str] = (),
    start: datetime = T0,
) -> tuple[list[dict[str, Any]], list[tuple[str, str, str]]]:
    """The records to import and the team's verdicts (ticket, other, verdict) on them."""
    records: list[dict[str, Any]] = []
    verdicts: list[tuple[str, str, str]] = []
    for n, key in enumerate(queries):
        a, b, c, d, e = (_word(n, salt) for salt in range(5))
        at = start + timedelta(days=3 * n)
        suffix = key.removeprefix("Q-")
        same_words = f"D-{suffix}"
        other_words = f"T-{suffix}"
        words = f"{a} {b} {c} {d} fails"
        if key in flipped:
            records.append(record(same_words, words, at, body=words, account=f"Other {n}"))
            records.append(
                record(other_words, f"{a} {b} broken", at + timedelta(hours=1),
                       body=f"{a} {e} broken", account=f"Acme {n}")
            )  # fmt: skip
            duplicate, unrelated = same_words, other_words
        else:
            records.append(
                record(other_words, f"{a} {b} broken", at, body=f"{a} {e} broken",
                       account=f"Acme {n}")
            )  # fmt: skip
            records.append(
                record(same_words, words, at + timedelta(hours=1), body=words,
                       account=f"Other {n}")
            )  # fmt: skip
            duplicate, unrelated = other_words, same_words
        records.append(record(key, words, at + timedelta(days=1), body=words, account=f"Acme {n}"))
        verdicts.append((key, duplicate, "duplicate"))
        verdicts.append((key, unrelated, "not related"))
    return records, verdicts
