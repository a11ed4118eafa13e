"""What an imported ticket says about the support that answered it: resolved at the first
contact, and whether the customer was satisfied (R-MET; seed 002's 95 % first-contact goal,
seed 003's CSAT trend).

Helpdesks record these in different words. First-contact resolution follows Znuny's
definition where the export counts the messages — at most one message from the customer and at
most one reply from an agent — and otherwise the helpdesk's own flag (Zendesk's one-touch
tickets: one agent reply and never reopened). A satisfaction rating is "good"/"bad" in Zendesk,
"Happy"/"Neutral"/"Unhappy" in Freshdesk, 1–5 in surveys, and a yes/no elsewhere; 4 and 5
of 5 count as satisfied, as escdesk's own survey counts them.
"""

from __future__ import annotations

from escdesk.domain.errors import InvalidInput
from escdesk.domain.survey import SATISFIED_FROM

_YES = frozenset({"yes", "y", "true", "1"})
_NO = frozenset({"no", "n", "false", "0"})
_SATISFIED = _YES | {
    "good",
    "satisfied",
    "positive",
    "happy",
    "very happy",
    "extremely happy",
    "awesome",
}
_NOT_SATISFIED = _NO | {
    "bad", "unsatisfied", "dissatisfied", "negative", "neutral", "not good", "unhappy",
    "very unhappy", "extremely unhappy",
}  # fmt: skip
"""Zendesk's good/bad, and Freshdesk's survey answers (Awesome / Neutral / Not Good, or its
seven points from "Extremely happy" to "Extremely unhappy"): neutral is not satisfied, as a 3
of 5 is not."""
_UNRATED = frozenset({"", "offered", "unoffered", "none", "null", "n/a", "-"})


def first_contact_resolved(
    customer_messages: int | None, agent_replies: int | None, flag: bool | None = None
) -> bool | None:
    """Znuny's rule when both counts are known, else the helpdesk's flag, else unknown."""
    if customer_messages is not None and agent_replies is not None:
        return customer_messages <= 1 and agent_replies <= 1
    return flag


def one_touch(agent_replies: int | None, reopens: int | None) -> bool | None:
    """Zendesk's flag as its ticket metrics give it: solved with at most one agent reply and
    never reopened. Unknown when the export has no reply count."""
    if agent_replies is None:
        return None
    return agent_replies <= 1 and not reopens


def yes_or_no(text: str, field: str) -> bool:
    """A flag as spreadsheets write it: yes/no, true/false, 1/0."""
    value = text.strip().casefold()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise InvalidInput(field, f"{text!r} is not yes or no", "Write yes or no (or true/false, 1/0)")


def satisfaction(text: str, field: str) -> bool | None:
    """A satisfaction rating in any of the helpdesks' words: True when satisfied, None when
    the survey was offered but not answered."""
    value = text.strip().casefold()
    if value in _UNRATED:
        return None
    try:
        score = float(value.removesuffix("/5").strip())
    except ValueError:
        if value in _SATISFIED:
            return True
        if value in _NOT_SATISFIED:
            return False
        raise InvalidInput(
            field,
            f"{text!r} is not a satisfaction rating",
            "Use good or bad, a score from 1 to 5, or yes or no",
        ) from None
    if not 1 <= score <= 5:
        raise InvalidInput(field, f"{text!r} is not a score from 1 to 5", "Use a score from 1 to 5")
    return score >= SATISFIED_FROM


def count(text: str, field: str) -> int:
    """A message count as an export writes it (`3`, ` 3 `, `3.0`)."""
    try:
        number = float(text.strip())
    except ValueError:
        raise InvalidInput(
            field, f"{text!r} is not a count", "Give a whole number such as 2"
        ) from None
    if number < 0 or number != int(number):
        raise InvalidInput(field, f"{text!r} is not a count", "Give a whole number such as 2")
    return int(number)
