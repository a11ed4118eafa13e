"""Pair features: time counts as days apart and as how many candidates were filed closer, and the
second does not depend on how fast a tracker files tickets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import numpy.typing as npt

from escdesk.domain.ticket import Ticket
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.features import FEATURES, pair_features
from escdesk.similarity.query import make_query, self_score
from escdesk.similarity.search import candidates

T0 = datetime(2026, 1, 5, tzinfo=UTC)
CLOSER = FEATURES.index("log_closer_in_time")
DAYS = FEATURES.index("log_days_apart")


def _features(step: timedelta) -> tuple[list[str], npt.NDArray[np.float64]]:
    """The head of the last of five LDAP tickets filed `step` apart (two at the same moment)."""
    corpus = Corpus()
    offsets = [0, 1, 1, 3, 4]  # A; B and C filed together; D; the query Q last
    corpus.add(
        Ticket("t", key, "LDAP sync times out", T0 + n * step, body="large groups time out")
        for key, n in zip("ABCDQ", offsets, strict=True)
    )
    query = make_query(corpus, "Q")
    found = candidates(corpus, query, 10, earlier_only=True)
    scale = self_score(corpus, found.columns, found.weights)
    features = pair_features(corpus, query, found.rows, found.scores, scale)
    return [corpus.ids[r] for r in found.rows], features


def test_closer_in_time_counts_the_candidates_filed_nearer_the_query() -> None:
    keys, features = _features(timedelta(days=1))
    closer = dict(zip(keys, np.expm1(features[:, CLOSER]).round(6), strict=True))
    assert closer == {"D": 0.0, "B": 1.0, "C": 1.0, "A": 3.0}  # B and C tie: neither is nearer


def test_closer_in_time_is_the_same_whether_tickets_come_hourly_or_monthly() -> None:
    hourly_keys, hourly = _features(timedelta(hours=1))
    monthly_keys, monthly = _features(timedelta(days=30))
    assert hourly_keys == monthly_keys
    assert np.array_equal(hourly[:, CLOSER], monthly[:, CLOSER])
    assert not np.allclose(hourly[:, DAYS], monthly[:, DAYS])  # days apart does change
