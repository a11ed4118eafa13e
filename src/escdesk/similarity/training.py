"""Re-training the re-ranker on the team's own links (R-REC-2): the shipped public pairs plus
every verdict a person gave (duplicate / not related), judged on links the fit never saw.

- Training data. The public pairs the shipped model learned from travel with the package
  (`public_pairs.npz`: pair features and labels, no ticket text). Each team verdict names a
  query (the later ticket of the pair) and a candidate; the query's BM25F head gives the pair
  features, as search computes them. The linked duplicate is a positive; every other candidate
  of the head — including those judged "not related" — a negative, as in the public data.
- Held back. One query in `HELD_BACK` (by a hash of its key: the same links always fall the same
  side) is kept out of the fit and scores the models: the share of held-back queries whose
  linked duplicate comes first, in the top 5 and 10, and the mean reciprocal rank.
- Shrinkage. Features are standardised as the shipped model does; the fit is an L2-regularised
  logistic regression, with each class balanced within each source and a team row weighing
  `TEAM_WEIGHT` public rows. Account, product area and component are 0 in every public pair
  (the public data has no such fields), so only team rows move their weights, and with few team
  rows the penalty keeps those weights near 0: a handful of links cannot make "same account"
  outrank the text. The new model is kept only when it beats the one in use on the held-back
  links (the services' rule), so a refit that would hurt is recorded and not used.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from escdesk.domain.errors import InvalidInput
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.features import FEATURES, pair_features
from escdesk.similarity.query import make_query, self_score
from escdesk.similarity.reranker import Reranker, default_reranker
from escdesk.similarity.search import CANDIDATES, candidates

PUBLIC_PAIRS = Path(__file__).with_name("public_pairs.npz")
HELD_BACK = 4  # one query in 4 scores the models
TEAM_WEIGHT = 2.0  # one team pair weighs as much as this many public ones
PENALTY_C = 0.1  # inverse L2 strength, as the shipped fit uses
KS = (1, 5, 10)
Pairs = tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]  # features, twin flags


@dataclass(frozen=True)
class Head:
    """The candidate head of one query: a row of features per candidate, which are twins."""

    key: str
    features: npt.NDArray[np.float64]
    twin: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Retrained:
    """A refit model (as JSON data) and the figures it was judged by."""

    model: dict[str, Any]
    figures: dict[str, Any]


def held_back(key: str) -> bool:
    """Whether a query's links score the models instead of training them (stable per key)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % HELD_BACK == 0


def save_pairs(heads: Sequence[Head], path: Path) -> None:
    """Write public pairs for the package: features (float32), twin flags, one group per query."""
    np.savez_compressed(
        path,
        features=np.vstack([h.features for h in heads]).astype(np.float32),
        twin=np.concatenate([h.twin for h in heads]),
        group=np.concatenate(
            [np.full(h.twin.size, i, dtype=np.int32) for i, h in enumerate(heads)]
        ),
        names=np.array(FEATURES),
    )


@lru_cache(maxsize=1)
def public_pairs(
    path: Path = PUBLIC_PAIRS,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """The shipped public pairs: features and twin flags (none when the package has none)."""
    if not path.exists():
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=bool)
    with np.load(path, allow_pickle=False) as data:
        if [str(n) for n in data["names"]] != list(FEATURES):
            raise InvalidInput(
                "ranker", "public pairs have other features", "Re-create them with this version"
            )
        return data["features"].astype(np.float64), data["twin"].astype(bool)


def team_heads(
    corpus: Corpus, pairs: Sequence[tuple[str, str, bool]], depth: int = CANDIDATES
) -> tuple[list[Head], int]:
    """A head per query ticket of the team's verdicts `(ticket, other, duplicate)`, and how many
    duplicate links fell outside their query's head (search cannot show them; they count as
    misses for every model alike and train nothing)."""
    twins: dict[str, set[str]] = {}
    for ticket, other, duplicate in pairs:
        if ticket not in corpus or other not in corpus:
            continue
        later, candidate = _later_first(corpus, ticket, other)
        wanted = twins.setdefault(later, set())
        if duplicate:
            wanted.add(candidate)
    heads, outside = [], 0
    for key in sorted(twins):
        query = make_query(corpus, key)
        found = candidates(corpus, query, depth, earlier_only=False)
        scale = self_score(corpus, found.columns, found.weights)
        features = pair_features(corpus, query, found.rows, found.scores, scale)
        twin = np.array([corpus.ids[r] in twins[key] for r in found.rows], dtype=bool)
        outside += len(twins[key]) - int(twin.sum())
        if found.rows.size:
            heads.append(Head(key, features, twin))
    return heads, outside


def _later_first(corpus: Corpus, a: str, b: str) -> tuple[str, str]:
    row_a, row_b = corpus.row_of(a), corpus.row_of(b)
    assert row_a is not None and row_b is not None
    return (a, b) if corpus.created[row_a] >= corpus.created[row_b] else (b, a)


def scores(heads: Sequence[Head], model: Reranker | None) -> dict[str, float]:
    """RR@k and mean reciprocal rank over the heads that hold a twin."""
    ranks = []
    for head in heads:
        if not head.twin.any():
            continue
        twin = head.twin
        if model is not None:
            twin = twin[np.argsort(-model.probability(head.features), kind="stable")]
        ranks.append(int(np.flatnonzero(twin)[0]) + 1)
    n = max(len(ranks), 1)
    out = {f"rr@{k}": round(sum(r <= k for r in ranks) / n, 4) for k in KS}
    out["mrr"] = round(sum(1.0 / r for r in ranks) / n, 4)
    out["queries"] = len(ranks)
    return out


def _balanced(twin: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """scikit-learn's "balanced" class weights, within one source."""
    positives = max(int(twin.sum()), 1)
    negatives = max(int((~twin).sum()), 1)
    return np.where(twin, twin.size / (2 * positives), twin.size / (2 * negatives))


def logistic_regression(
    x: npt.NDArray[np.float64],
    y: npt.NDArray[np.bool_],
    weight: npt.NDArray[np.float64],
    c: float,
    iterations: int = 50,
) -> tuple[npt.NDArray[np.float64], float]:
    """Weights and intercept minimising ½‖w‖² + c·Σ weightᵢ·log-lossᵢ (the intercept free), as
    scikit-learn's L2 `LogisticRegression(C=c)` does, by Newton's method: a few features, so
    each step is one small linear solve and the answer is exact and the same on every run."""
    rows, width = x.shape
    design = np.hstack([x, np.ones((rows, 1))])
    penalty = np.eye(width + 1)
    penalty[width, width] = 0.0
    beta = np.zeros(width + 1)
    target = y.astype(np.float64)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        gradient = penalty @ beta + c * design.T @ (weight * (p - target))
        hessian = penalty + c * (design.T * (weight * p * (1.0 - p))) @ design
        step = np.linalg.solve(hessian + 1e-9 * np.eye(width + 1), gradient)
        beta -= step
        if np.abs(step).max() < 1e-10:
            break
    return beta[:width], float(beta[width])


def fit(
    public: Pairs,
    team: Sequence[Head],
    base: Reranker,
    trained_on: str,
) -> Reranker:
    """One logistic regression over public and team rows, standardised as `base` is."""
    x_public, y_public = public
    x_team = np.vstack([h.features for h in team]) if team else np.zeros((0, len(FEATURES)))
    y_team = np.concatenate([h.twin for h in team]) if team else np.zeros(0, dtype=bool)
    x = np.vstack([x_public, x_team])
    y = np.concatenate([y_public, y_team])
    weight = np.concatenate([_balanced(y_public), TEAM_WEIGHT * _balanced(y_team)])
    if not y.any() or y.all():
        raise InvalidInput(
            "ranker", "has no duplicates and non-duplicates to learn from", "Link some duplicates"
        )
    mean, scale = np.asarray(base.mean), np.asarray(base.scale)
    coefficients, intercept = logistic_regression((x - mean) / scale, y, weight, PENALTY_C)
    return Reranker(
        base.mean,
        base.scale,
        tuple(np.round(coefficients, 6).tolist()),
        round(intercept, 6),
        trained_on,
    )


def retrain(
    corpus: Corpus,
    pairs: Sequence[tuple[str, str, bool]],
    current: Mapping[str, Any] | None,
    public: Pairs | None = None,
) -> Retrained:
    """Refit on the public pairs plus the team's training links; score the new model and the
    one in use (`current`, None: the shipped one) on the held-back links."""
    shipped = default_reranker()
    if shipped is None:
        raise InvalidInput("ranker", "the package carries no shipped model", "Reinstall escdesk")
    in_use = Reranker.from_json(dict(current)) if current is not None else shipped
    heads, outside = team_heads(corpus, pairs)
    training = [h for h in heads if not held_back(h.key)]
    held = [h for h in heads if held_back(h.key)]
    model = fit(public if public is not None else public_pairs(), training, shipped, "public+team")
    figures = {
        "team_links": len(pairs),
        "team_duplicates": sum(1 for _, _, d in pairs if d),
        "training_queries": len(training),
        "held_back_queries": len(held),
        "outside_head": outside,
        "new": scores(held, model),
        "current": scores(held, in_use),
    }
    return Retrained(model.to_json(), figures)
