"""Re-training the re-ranker (R-REC-2): the fit is scikit-learn's L2 logistic regression, the
held-back split is stable, the shipped public pairs load, and team links outside a query's
candidate head are counted, not trained on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from sklearn.linear_model import LogisticRegression

from escdesk.domain.ticket import Ticket
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.features import FEATURES
from escdesk.similarity.training import (
    HELD_BACK,
    held_back,
    logistic_regression,
    public_pairs,
    team_heads,
)

T0 = datetime(2026, 1, 5, tzinfo=UTC)


def test_the_fit_matches_scikit_learns_l2_logistic_regression() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 5))
    y = (x @ np.array([1.5, -1.0, 0.0, 0.5, 2.0]) + rng.normal(size=400)) > 0.8
    weight = np.where(y, 2.0, 0.5)
    reference = LogisticRegression(C=0.1, tol=1e-10, max_iter=5000).fit(x, y, sample_weight=weight)
    coefficients, intercept = logistic_regression(x, y, weight, 0.1)
    assert np.allclose(coefficients, reference.coef_[0], atol=1e-5)
    assert abs(intercept - reference.intercept_[0]) < 1e-5


def test_the_split_is_stable_and_holds_back_about_one_query_in_four() -> None:
    keys = [f"T-{n}" for n in range(2000)]
    share = sum(held_back(k) for k in keys) / len(keys)
    assert abs(share - 1 / HELD_BACK) < 0.03
    assert [held_back(k) for k in keys[:50]] == [held_back(k) for k in keys[:50]]


def test_the_shipped_public_pairs_load_with_this_versions_features() -> None:
    x, twin = public_pairs()
    assert x.shape[1] == len(FEATURES) and x.shape[0] == twin.size > 5_000
    assert 50 < twin.sum() < twin.size / 10
    assert not x[:, FEATURES.index("same_account")].any()  # the public data has no accounts


def test_a_linked_duplicate_outside_the_candidate_head_is_counted_not_trained() -> None:
    corpus = Corpus()
    corpus.add(
        [
            Ticket("t", "A", "LDAP sync times out", T0, body="large groups time out"),
            Ticket("t", "B", "LDAP sync timeout", T0 + timedelta(days=1), body="large groups"),
            Ticket("t", "C", "Invoice VAT wrong", T0 + timedelta(days=2), body="VAT rate"),
        ]
    )
    heads, outside = team_heads(corpus, [("B", "A", True), ("C", "B", True), ("X", "A", True)])
    assert outside == 1  # C shares no word with B; X is not indexed and is skipped
    (head,) = [h for h in heads if h.key == "B"]
    assert head.twin.sum() == 1 and head.features.shape == (head.twin.size, len(FEATURES))
