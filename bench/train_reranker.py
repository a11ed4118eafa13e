"""Train the similar-tickets re-ranker and write its coefficients into the package.

    python -m bench.train_reranker                       # trains on GitBugs Hadoop + SeaMonkey
    python -m bench.train_reranker --train seamonkey --out model.json

For every query ticket of the training sets (one with an earlier duplicate), the BM25F head of
its earlier-only candidates is turned into pair features (`escdesk.similarity.features`); the
candidates that are its duplicates are the positives. A logistic regression learns the weights.
Only CC BY 4.0 data (GitBugs) may train the shipped file; `similar_tickets.py` measures models
on sets they were not trained on. The pairs themselves (features and labels, no ticket text)
are written beside the model: `escdesk tickets train-ranker` refits on them plus the team's links.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression

from bench.duplicate_data import SHIPPABLE, DuplicateSet, available, data_dir, load
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.features import pair_features
from escdesk.similarity.query import make_query, self_score
from escdesk.similarity.reranker import MODEL_FILE, Reranker
from escdesk.similarity.search import CANDIDATES, candidates
from escdesk.similarity.segments import Bm25f
from escdesk.similarity.training import PUBLIC_PAIRS, save_pairs
from escdesk.similarity.training import Head as PairHead

KS = (1, 5, 10, 20)


@dataclass
class Head:
    """The candidate head of one query: features, which candidates are twins, BM25F order."""

    features: npt.NDArray[np.float64]
    twin: npt.NDArray[np.bool_]


def collect(data: DuplicateSet, bm25f: Bm25f | None = None, depth: int = CANDIDATES) -> list[Head]:
    corpus = Corpus(bm25f)
    corpus.add(data.tickets)
    heads = []
    for query_id, twins in data.twins.items():
        query = make_query(corpus, query_id)
        found = candidates(corpus, query, depth, earlier_only=True)
        scale = self_score(corpus, found.columns, found.weights)
        features = pair_features(corpus, query, found.rows, found.scores, scale)
        twin = np.array([corpus.ids[r] in twins for r in found.rows], dtype=bool)
        heads.append(Head(features, twin))
    return heads


def fit(heads: list[Head], trained_on: str, c: float = 0.1) -> Reranker:
    x = np.vstack([h.features for h in heads])
    y = np.concatenate([h.twin for h in heads])
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    return Reranker(
        tuple(np.round(mean, 6).tolist()),
        tuple(np.round(scale, 6).tolist()),
        tuple(np.round(model.coef_[0], 6).tolist()),
        round(float(model.intercept_[0]), 6),
        trained_on,
    )


def recall_rates(heads: list[Head], model: Reranker | None) -> dict[int, float]:
    """RR@k: share of queries with a twin in the top k (a twin outside the head is a miss)."""
    hits = dict.fromkeys(KS, 0)
    for head in heads:
        twin = head.twin
        if model is not None and twin.size:
            twin = twin[np.argsort(-model.probability(head.features), kind="stable")]
        first = np.flatnonzero(twin)
        for k in KS:
            hits[k] += bool(first.size and first[0] < k)
    return {k: hits[k] / max(len(heads), 1) for k in KS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="directory of the public duplicate data")
    parser.add_argument("--train", default=",".join(SHIPPABLE), help="comma-separated sets")
    parser.add_argument("--out", default=str(MODEL_FILE), help="where to write the model JSON")
    parser.add_argument(
        "--pairs-out",
        default=str(PUBLIC_PAIRS),
        help="where to write the training pairs a team's re-training starts from",
    )
    args = parser.parse_args()
    directory = data_dir(args.data)
    names = [n for n in args.train.split(",") if n]
    missing = [n for n in names if not available(directory, n)]
    if directory is None or missing:
        print(f"skipped: no {', '.join(missing)} data in {directory} (use --data)")
        return
    heads = [h for name in names for h in collect(load(directory, name))]
    model = fit(heads, "+".join(f"gitbugs-{n}" if n in SHIPPABLE else n for n in names))
    Path(args.out).write_text(json.dumps(model.to_json(), indent=1) + "\n", encoding="utf-8")
    save_pairs([PairHead("", h.features, h.twin) for h in heads], Path(args.pairs_out))
    print(
        f"trained on {model.trained_on}: {len(heads)} queries; wrote {args.out}, {args.pairs_out}"
    )


if __name__ == "__main__":
    main()
