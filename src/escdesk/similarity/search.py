"""Ranking similar tickets (R-REC-2): BM25F finds candidates, the learned re-ranker orders them,
and the terms both tickets share say why each one is there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from escdesk.domain.errors import InvalidInput, RuleRefused
from escdesk.domain.ticket import Ticket
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.query import Query, make_query, query_weights, self_score
from escdesk.similarity.reranker import Reranker, rerank

QUERY_TERMS = 32  # the query's heaviest terms drive candidate search; all count for the reason
# Terms in more than this share of tickets ("error", "customer") are skipped by candidate search:
# their posting lists are most of the work at a million tickets, their idf adds little.
COMMON_SHARE = 0.25
CANDIDATES = 100  # how deep the re-ranker looks
REASON_TERMS = 8
# A match is "strong" when the re-ranker gives it at least this probability: on the public
# duplicate sets 85 % of true duplicates in a top 10 reach it, and 13 % of the other tickets
# (bench/similar_tickets.py). Without a model, when BM25F scores it at half the query's
# score against itself and it shares at least STRONG_TERMS terms (a query's words no ticket
# holds are dropped, so one shared word can be half of a short query). Anything else is
# "possible": the scores are not probabilities a person should read.
STRONG_PROBABILITY = 0.9
STRONG_SHARE = 0.5
STRONG_TERMS = 3


@dataclass(frozen=True)
class Match:
    """One similar ticket: its key, how alike (higher is closer; for ordering only), the terms
    both share, and how strong a match it is ("strong" or "possible")."""

    id: str
    score: float
    shared_terms: tuple[str, ...]
    strength: str = "possible"


@dataclass(frozen=True)
class Candidates:
    """The BM25F head of one query, best first, and the query's own weights."""

    rows: npt.NDArray[np.int64]
    scores: npt.NDArray[np.float64]
    columns: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]


def candidates(corpus: Corpus, query: Query, depth: int, earlier_only: bool) -> Candidates:
    """The `depth` best rows by BM25F, best first, with their scores; and the query weights."""
    columns, weights = query_weights(corpus, query)
    common = corpus.vocabulary.df[columns] > COMMON_SHARE * len(corpus)
    heaviest = np.argsort(-np.where(common, -1.0, weights), kind="stable")[:QUERY_TERMS]
    heaviest = heaviest[~common[heaviest]] if not common.all() else heaviest
    scores = corpus.scores(columns[heaviest].astype(np.int64), weights[heaviest])
    allowed = corpus.alive & (scores > 0)
    if earlier_only:
        allowed &= corpus.created < query.created
    if query.row is not None:
        allowed[query.row] = False
    rows = np.flatnonzero(allowed)
    if rows.size > depth:
        rows = rows[np.argpartition(-scores[rows], depth - 1)[:depth]]
    rows = rows[np.lexsort((rows, -scores[rows]))]
    return Candidates(rows, scores[rows], columns, weights)


def shared_terms(
    corpus: Corpus,
    rows: npt.NDArray[np.int64],
    columns: npt.NDArray[np.int32],
    weights: npt.NDArray[np.float32],
) -> list[tuple[str, ...]]:
    """For each row, the query terms it also holds, the most telling (heaviest) first."""
    subject, body, _ = corpus.rows_matrix(rows)
    terms = corpus.vocabulary.terms
    out = []
    for n in range(rows.size):
        held = np.union1d(
            subject.indices[subject.indptr[n] : subject.indptr[n + 1]],
            body.indices[body.indptr[n] : body.indptr[n + 1]],
        )
        mine = np.isin(columns, held)
        order = np.argsort(-weights[mine], kind="stable")[:REASON_TERMS]
        out.append(tuple(terms[c] for c in columns[mine][order]))
    return out


def ranked(
    corpus: Corpus, model: Reranker | None, query: Query, depth: int, earlier_only: bool
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], Candidates]:
    """The re-ranked head of a query: rows and scores best first, and what BM25F found."""
    found = candidates(corpus, query, depth, earlier_only)
    scale = self_score(corpus, found.columns, found.weights) if model is not None else 0.0
    rows, scores = rerank(model, corpus, query, found.rows, found.scores, scale)
    return rows, scores, found


def find_similar(
    corpus: Corpus,
    model: Reranker | None,
    ticket_or_key: Ticket | str,
    k: int,
    earlier_only: bool,
) -> list[Match]:
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise InvalidInput("k", f"is {k!r}", "Ask for at least 1 similar ticket")
    if not len(corpus):
        raise RuleRefused(
            "R-REC-2",
            "no tickets are indexed yet, so none can be similar",
            ["import the helpdesk tickets first"],
        )
    query = make_query(corpus, ticket_or_key)
    rows, scores, found = ranked(corpus, model, query, max(CANDIDATES, k), earlier_only)
    rows, scores = rows[:k], scores[:k]
    reasons = shared_terms(corpus, rows, found.columns, found.weights)
    if model is not None:
        strong = scores >= STRONG_PROBABILITY
    else:
        strong = scores >= STRONG_SHARE * self_score(corpus, found.columns, found.weights)
        strong &= np.array([len(r) >= STRONG_TERMS for r in reasons], dtype=bool)
    return [
        Match(corpus.ids[row], round(float(score), 6), reason, _strength(bool(is_strong)))
        for row, score, reason, is_strong in zip(rows, scores, reasons, strong, strict=True)
    ]


def _strength(strong: bool) -> str:
    return "strong" if strong else "possible"
