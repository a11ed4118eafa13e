"""The learned re-ranker: a logistic regression over pair features of the BM25F head.

Its coefficients are a few numbers in `reranker.json`, trained by `bench/train_reranker.py` on
public duplicate bug reports (GitBugs, CC BY 4.0) and evaluated there on data sets it never saw.
Applying it needs only NumPy; without the file, ranking falls back to BM25F alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from escdesk.domain.errors import InvalidInput
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.features import FEATURES, pair_features
from escdesk.similarity.query import Query

MODEL_FILE = Path(__file__).with_name("reranker.json")
ATTRIBUTION = (
    "Coefficients learned from the GitBugs data set (Patil, arXiv 2504.09651, "
    "github.com/av9ash/gitbugs), licensed CC BY 4.0"
)


@dataclass(frozen=True)
class Reranker:
    """Standardise each feature, weigh, add: the logit that a candidate is the query's twin."""

    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coefficients: tuple[float, ...]
    intercept: float
    trained_on: str = ""

    def probability(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        z = (features - np.asarray(self.mean)) / np.asarray(self.scale)
        logit = z @ np.asarray(self.coefficients) + self.intercept
        probability: npt.NDArray[np.float64] = 1.0 / (1.0 + np.exp(-logit))
        return probability

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "mean": list(self.mean),
            "scale": list(self.scale),
            "coefficients": list(self.coefficients),
            "intercept": self.intercept,
            "trained_on": self.trained_on,
            "attribution": ATTRIBUTION,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Reranker:
        if list(data.get("features", [])) != list(FEATURES):
            raise InvalidInput(
                "reranker", "was trained on other features", "Retrain it with this escdesk version"
            )
        return cls(
            tuple(map(float, data["mean"])),
            tuple(map(float, data["scale"])),
            tuple(map(float, data["coefficients"])),
            float(data["intercept"]),
            str(data.get("trained_on", "")),
        )


@lru_cache(maxsize=1)
def default_reranker() -> Reranker | None:
    """The shipped model, or None when the package carries none."""
    if not MODEL_FILE.exists():
        return None
    return Reranker.from_json(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def ranker_of(model: Mapping[str, Any] | None) -> Reranker | None:
    """A stored version's model, or the shipped one for None or for a model whose features this
    escdesk no longer computes (search keeps working; `tickets ranker` shows which is used)."""
    if model is None:
        return default_reranker()
    try:
        return Reranker.from_json(dict(model))
    except (InvalidInput, KeyError, TypeError, ValueError):
        return default_reranker()


def rerank(
    model: Reranker | None,
    corpus: Corpus,
    query: Query,
    rows: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    self_score: float,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64]]:
    """Rows re-ordered by the model's probability (ties keep BM25F order); without a model,
    the BM25F order and scores as they are."""
    if model is None or not rows.size:
        return rows, scores
    probability = model.probability(pair_features(corpus, query, rows, scores, self_score))
    order = np.argsort(-probability, kind="stable")
    return rows[order], probability[order]
