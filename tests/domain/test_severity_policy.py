"""R-ESC-1: severity levels, their cadence and who is involved — data with seed-004 defaults."""

from __future__ import annotations

from datetime import timedelta

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.domain.severity import (
    DEFAULT_POLICY,
    Severity,
    parse_duration,
    parse_severity,
    policy_with_overrides,
)


def test_r_esc_1_default_cadence_follows_seed_004() -> None:
    critical, high = DEFAULT_POLICY[Severity.CRITICAL], DEFAULT_POLICY[Severity.HIGH]
    assert critical.internal_update_every == timedelta(days=1)
    assert critical.customer_update_every == timedelta(days=1)
    assert high.internal_update_every == timedelta(days=1)  # tracker at least daily
    assert high.customer_update_every < timedelta(days=3)  # several times a week
    assert DEFAULT_POLICY[Severity.MEDIUM].customer_update_every == timedelta(weeks=1)
    assert DEFAULT_POLICY[Severity.LOW].cadence == "Standard communication"


def test_r_esc_1_default_involvement_follows_seed_004() -> None:
    assert "CEO" in DEFAULT_POLICY[Severity.CRITICAL].involve
    assert DEFAULT_POLICY[Severity.MEDIUM].involve == ("CSM leader",)
    assert "Account manager" in DEFAULT_POLICY[Severity.LOW].involve


def test_r_esc_1_overrides_change_only_what_they_name() -> None:
    policy = policy_with_overrides(
        {"high": {"customer_update_every": "2d", "involve": ["CSM leader", "CTO"]}}
    )
    assert policy[Severity.HIGH].customer_update_every == timedelta(days=2)
    assert policy[Severity.HIGH].involve == ("CSM leader", "CTO")
    assert policy[Severity.HIGH].internal_update_every == timedelta(days=1)
    assert policy[Severity.CRITICAL] == DEFAULT_POLICY[Severity.CRITICAL]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"urgent": {}}, "severity.urgent"),
        ({"high": {"customer_update_every": "often"}}, "severity.high.customer_update_every"),
        ({"high": {"colour": "red"}}, "severity.high.colour"),
        ({"low": {"involve": "CEO"}}, "severity.low.involve"),
        ({"low": 3}, "severity.low"),
    ],
)
def test_bad_policy_overrides_name_the_field(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        policy_with_overrides(overrides)  # type: ignore[arg-type]
    assert error.value.field == field


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90m", timedelta(minutes=90)), ("24h", timedelta(days=1)), ("2w", timedelta(weeks=2))],
)
def test_durations_parse(text: str, expected: timedelta) -> None:
    assert parse_duration(text, "x") == expected


@pytest.mark.parametrize("text", ["", "0h", "-3d", "3 days", "h"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse_duration(text, "x")


def test_severity_names_parse_in_any_case_and_bad_ones_list_the_choices() -> None:
    assert parse_severity(" High ") is Severity.HIGH
    with pytest.raises(InvalidInput, match="critical, high, medium, low"):
        parse_severity("urgent")
