"""How an imported ticket was answered: Znuny's first-contact rule and the helpdesks' ratings."""

from __future__ import annotations

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.domain.ticket_outcomes import (
    count,
    first_contact_resolved,
    one_touch,
    satisfaction,
    yes_or_no,
)


@pytest.mark.parametrize(
    ("customer", "agent", "flag", "expected"),
    [
        (1, 1, None, True),  # asked once, answered once
        (1, 0, None, True),  # solved without a reply (a known issue, closed with a macro)
        (2, 1, None, False),  # the customer had to write again
        (1, 2, None, False),  # the agent had to come back
        (2, 2, True, False),  # the counts win over the helpdesk's flag
        (None, 1, True, True),  # a count is missing: the flag decides
        (None, None, False, False),
        (None, None, None, None),  # the export cannot tell
    ],
)
def test_first_contact_follows_znuny_then_the_flag(
    customer: int | None, agent: int | None, flag: bool | None, expected: bool | None
) -> None:
    assert first_contact_resolved(customer, agent, flag) is expected


def test_one_touch_is_one_reply_and_never_reopened() -> None:
    assert one_touch(1, 0) is True
    assert one_touch(0, None) is True
    assert one_touch(2, 0) is False
    assert one_touch(1, 1) is False
    assert one_touch(None, 0) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("good", True),
        ("bad", False),
        ("offered", None),
        ("unoffered", None),
        ("", None),
        ("5", True),
        ("4/5", True),
        ("3", False),
        ("1", False),
        ("4.0", True),
        ("Satisfied", True),
        ("no", False),
    ],
)
def test_satisfaction_reads_every_helpdesks_words(text: str, expected: bool | None) -> None:
    assert satisfaction(text, "CSAT") is expected


def test_bad_ratings_and_counts_name_the_field_and_the_fix() -> None:
    with pytest.raises(InvalidInput) as rating:
        satisfaction("meh", "CSAT")
    assert rating.value.field == "CSAT" and "good or bad" in rating.value.fix
    with pytest.raises(InvalidInput) as scale:
        satisfaction("7", "CSAT")
    assert "1 to 5" in scale.value.problem
    with pytest.raises(InvalidInput) as counted:
        count("two", "Agent interactions")
    assert counted.value.field == "Agent interactions"
    with pytest.raises(InvalidInput):
        count("1.5", "Agent interactions")
    with pytest.raises(InvalidInput):
        yes_or_no("maybe", "FCR")
    assert count(" 3 ", "x") == 3 and count("2.0", "x") == 2
    assert yes_or_no("Yes", "FCR") is True and yes_or_no("0", "FCR") is False
