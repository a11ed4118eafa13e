"""R-TRI-2: the score's breakdown sums to its total and follows the configured weights."""

from __future__ import annotations

from dataclasses import fields, replace
from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escdesk.domain.accounts import AccountStatus
from escdesk.domain.errors import InvalidInput
from escdesk.domain.records import EscalationKind
from escdesk.domain.request import (
    BusinessContext,
    Difficulty,
    EscalationRequest,
    ProblemType,
)
from escdesk.domain.severity import Severity
from escdesk.domain.triage_score import (
    DEFAULT_WEIGHTS,
    Breadth,
    ScoreWeights,
    saturating,
    score,
)

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def request(**overrides: object) -> EscalationRequest:
    values: dict[str, object] = {
        "account_id": 1,
        "kind": EscalationKind.ACCOUNT_ESCALATION,
        "problem": "Exports time out",
        "problem_type": ProblemType.BUG,
        "proposed_severity": Severity.HIGH,
        "workarounds": "Monthly exports",
        "difficulty": Difficulty.MEDIUM,
        "dependencies": "none",
        "business": BusinessContext(AccountStatus.PAYING, 250_000),
        "other_customers": 2,
        "happiness_confirmed": True,
        "requester_id": None,
        "filed_at": NOW,
    }
    values.update(overrides)
    return EscalationRequest(**values)  # type: ignore[arg-type]


requests = st.builds(
    request,
    problem_type=st.sampled_from(ProblemType),
    proposed_severity=st.sampled_from(Severity),
    difficulty=st.sampled_from(Difficulty),
    dependencies=st.sampled_from(["none", "the billing team's API"]),
    business=st.builds(
        BusinessContext,
        st.sampled_from(AccountStatus),
        st.integers(0, 10**9),
        st.one_of(st.none(), st.integers(0, 10**9)),
        st.just(date(2027, 1, 31)),
    ),
    other_customers=st.integers(0, 1000),
    happiness_confirmed=st.booleans(),
)
weights = st.builds(
    ScoreWeights,
    **{
        f.name: st.integers(1, 10**7) if f.name == "money_half" else st.integers(-100, 100)
        for f in fields(ScoreWeights)
    },
)
breadths = st.builds(Breadth, st.integers(0, 500), st.booleans())


@given(requests, weights, breadths)
def test_the_breakdown_always_sums_to_the_total(
    r: EscalationRequest, w: ScoreWeights, b: Breadth
) -> None:
    s = score(r, w, b)
    assert s.total == sum(p.points for p in s.parts)
    assert [p.factor for p in s.parts] == [
        "type",
        "customer",
        "money",
        "severity",
        "happiness",
        "breadth",
        "delay",
    ]


@given(requests, weights, st.sampled_from([f.name for f in fields(ScoreWeights)]))
def test_raising_one_weight_never_lowers_the_score_and_moves_only_its_factor(
    r: EscalationRequest, w: ScoreWeights, name: str
) -> None:
    if name in ("money_half", "breadth_max"):
        return  # a half-point and a cap are not points: they shape a factor
    before = score(r, w)
    after = score(r, replace(w, **{name: getattr(w, name) + 7}))
    assert after.total >= before.total
    changed = [a.factor for a, b in zip(after.parts, before.parts, strict=True) if a != b]
    assert len(changed) <= 1


@given(st.integers(0, 10**12), st.integers(0, 1000), st.integers(1, 10**9))
def test_money_saturates_below_its_maximum_and_grows_with_the_amount(
    amount: int, maximum: int, half: int
) -> None:
    points = saturating(amount, maximum, half)
    assert 0 <= points <= maximum
    assert saturating(amount * 2 + 1, maximum, half) >= points


def test_one_giant_deal_does_not_drown_everything() -> None:
    small = score(request(business=BusinessContext(AccountStatus.PAYING, 250_000)))
    giant = score(request(business=BusinessContext(AccountStatus.PAYING, 50_000_000)))
    assert giant.total - small.total < DEFAULT_WEIGHTS.money_max


def test_the_worked_example_of_the_readme() -> None:
    """A high bug for a paying customer at 250,000 ARR, two others affected, a medium fix."""
    s = score(request())
    assert [(p.factor, p.points) for p in s.parts] == [
        ("type", 30),
        ("customer", 20),
        ("money", 15),
        ("severity", 25),
        ("happiness", 10),
        ("breadth", 8),
        ("delay", -5),
    ]
    assert s.total == 103


def test_configured_weights_are_checked_by_name() -> None:
    assert ScoreWeights.of({"bug": 50}).bug == 50
    with pytest.raises(InvalidInput) as refused:
        ScoreWeights.of({"bugs": 50})
    assert refused.value.field == "triage.weights.bugs"
    with pytest.raises(InvalidInput):
        ScoreWeights.of({"bug": "lots"})
