"""Channel names obey Slack's rules and never put two escalations in one channel (R-ESC-12)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escdesk.domain.channel_names import MAX_LENGTH, channel_name, next_after

SLACK_RULE = re.compile(r"[a-z0-9_-]{1,80}")


@pytest.mark.parametrize(
    ("customer", "expected"),
    [
        ("Müller & Söhne GmbH", "esc_muller-sohne-gmbh"),
        ("Acme Corp", "esc_acme-corp"),
        ("Straße Œuvre Ærø Łódź", "esc_strasse-oeuvre-aero-lodz"),
        ("  ACME!!  ", "esc_acme"),
        ("株式会社", "esc_customer"),
        ("São Paulo Saúde", "esc_sao-paulo-saude"),
    ],
)
def test_a_customer_name_becomes_a_readable_slack_channel_name(
    customer: str, expected: str
) -> None:
    assert channel_name(customer) == expected


def test_a_second_open_escalation_of_a_customer_gets_a_suffix() -> None:
    assert channel_name("Acme", taken=["#esc_acme"]) == "esc_acme-2"
    assert channel_name("Acme", taken=["esc_acme", "esc_acme-2"]) == "esc_acme-3"


def test_a_taken_name_is_followed_by_the_next_number() -> None:
    assert next_after("esc_acme") == "esc_acme-2"
    assert next_after("#esc_acme-2") == "esc_acme-3"
    assert next_after("esc_acme-corp") == "esc_acme-corp-2"


def test_a_long_name_is_cut_so_that_the_suffix_still_fits() -> None:
    long_name = "Northwind " * 20
    first = channel_name(long_name)
    second = channel_name(long_name, taken=[first])
    assert len(first) <= MAX_LENGTH and len(second) <= MAX_LENGTH
    assert second.endswith("-2") and not first.endswith("-")


@given(st.text(max_size=200), st.lists(st.text(max_size=90), max_size=5))
def test_every_name_obeys_slacks_rules_and_avoids_the_taken_ones(
    customer: str, taken: list[str]
) -> None:
    name = channel_name(customer, taken)
    assert SLACK_RULE.fullmatch(name)
    assert name.startswith("esc_")
    assert name not in {t.strip().lstrip("#").lower() for t in taken}
    assert SLACK_RULE.fullmatch(next_after(name))
