"""The rule for keeping a re-trained ranker (R-REC-2): better on enough held-back links."""

from __future__ import annotations

from escdesk.domain.ranker_version import MIN_HELD_BACK, beats, why_not_kept


def figures(new: float, current: float, queries: int = MIN_HELD_BACK) -> dict[str, object]:
    return {
        "new": {"mrr": new, "queries": queries},
        "current": {"mrr": current, "queries": queries},
    }


def test_a_refit_is_kept_only_when_strictly_better_on_enough_held_back_queries() -> None:
    assert beats(figures(0.8, 0.7))
    assert not beats(figures(0.7, 0.7))  # a tie keeps the ranker in use
    assert not beats(figures(0.6, 0.7))
    assert not beats(figures(1.0, 0.5, queries=MIN_HELD_BACK - 1))
    assert not beats({})


def test_why_a_refit_was_not_kept_is_said_in_words() -> None:
    assert "no better" in why_not_kept(figures(0.6, 0.7))
    assert why_not_kept(figures(1.0, 0.5, queries=1)).startswith("1 held-back query with")
