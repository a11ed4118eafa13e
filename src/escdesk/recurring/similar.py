"""Ranking similar tickets (R-REC-2): BM25F finds candidates, a learned re-ranker orders them,
and the terms both tickets share say why each one is there.

A query is either an indexed ticket (by id) or a Ticket not indexed yet (a new one being filed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.domain.errors import InvalidInput, NotFound, RuleRefused
from escdesk.domain.ticket import Ticket
from escdesk.recurring.batch import microseconds, read
from escdesk.recurring.index import Match, SimilarityIndex
from escdesk.recurring.segments import weigh

QUERY_TERMS = 32  # the query's heaviest terms drive candidate search; all count for the reason
# Terms in more than this share of tickets ("error", "customer") are skipped by candidate search:
# their posting lists are most of the work at a million tickets, their idf adds little.
COMMON_SHARE = 0.25
CANDIDATES = 100  # how deep the re-ranker looks
REASON_TERMS = 8


@dataclass(frozen=True)
class Query:
    """A ticket as the index sees it, whether or not it is indexed."""

    row: int | None  # its own row, never a result
    created: int  # microseconds since the epoch
    subject: sp.csr_matrix  # 1 × terms counts
    body: sp.csr_matrix
    tags: sp.csr_matrix
    labels: npt.NDArray[np.int32]
    lengths: tuple[float, float]  # subject and body words, for BM25 length normalisation


def make_query(index: SimilarityIndex, ticket_or_id: Ticket | str) -> Query:
    if isinstance(ticket_or_id, Ticket):
        return _query_of_ticket(index, ticket_or_id)
    row = index.rows.get(ticket_or_id)
    if row is None:
        raise NotFound("ticket", ticket_or_id)
    subject, body, tags = index.counts_of(row)
    lengths = (float(index.subject_length[row]), float(index.body_length[row]))
    return Query(row, int(index.created[row]), subject, body, tags, index.label_codes[row], lengths)


def _query_of_ticket(index: SimilarityIndex, ticket: Ticket) -> Query:
    reading = read(ticket, index.bm25f.subject_phrases)

    def counts(counter: dict[str, int]) -> sp.csr_matrix:
        """Known terms only: a word no indexed ticket has cannot make one similar."""
        pairs = sorted(
            (c, n) for t, n in counter.items() if (c := index.vocabulary.id_of(t)) is not None
        )
        columns = np.array([c for c, _ in pairs], dtype=np.int32)
        values = np.array([n for _, n in pairs], dtype=np.uint16)
        return sp.csr_matrix(
            (values, columns, np.array([0, len(pairs)])), shape=(1, len(index.vocabulary))
        )

    tag_columns = sorted({c for t in reading.tags if (c := index.labels.id_of(t)) is not None})
    tags = sp.csr_matrix(
        (np.ones(len(tag_columns), dtype=np.uint16), tag_columns, [0, len(tag_columns)]),
        shape=(1, len(index.labels)),
    )
    labels = np.array(
        [-1 if lb is None or (c := index.labels.id_of(lb)) is None else c for lb in reading.labels],
        dtype=np.int32,
    )
    row = index.rows.get(ticket.external_id)
    return Query(
        row,
        microseconds(ticket),
        counts(reading.subject),
        counts(reading.body),
        tags,
        labels,
        (float(reading.subject_length), float(reading.body_length)),
    )


def query_weights(
    index: SimilarityIndex, query: Query
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """The query's columns and their idf × BM25F weights."""
    subject_length = np.array([query.lengths[0]], dtype=np.float32)
    body_length = np.array([query.lengths[1]], dtype=np.float32)
    row = weigh(
        query.subject, query.body, subject_length, body_length, index.averages(), index.bm25f
    )
    columns = row.indices.astype(np.int32)
    return columns, row.data * index.idf_all()[columns]


def candidates(
    index: SimilarityIndex, query: Query, depth: int, earlier_only: bool
) -> tuple[
    npt.NDArray[np.int64], npt.NDArray[np.float64], npt.NDArray[np.int32], npt.NDArray[np.float32]
]:
    """The `depth` best rows by BM25F, best first, with their scores; and the query weights."""
    columns, weights = query_weights(index, query)
    common = index.vocabulary.df[columns] > COMMON_SHARE * len(index)
    heaviest = np.argsort(-np.where(common, -1.0, weights), kind="stable")[:QUERY_TERMS]
    heaviest = heaviest[~common[heaviest]] if not common.all() else heaviest
    search_columns = columns[heaviest].astype(np.int64)
    search_weights = weights[heaviest]
    scores = np.concatenate(
        [segment.scores(search_columns, search_weights) for segment in index.segments]
    )
    allowed = index.alive & (scores > 0)
    if earlier_only:
        allowed &= index.created < query.created
    if query.row is not None:
        allowed[query.row] = False
    rows = np.flatnonzero(allowed)
    if rows.size > depth:
        rows = rows[np.argpartition(-scores[rows], depth - 1)[:depth]]
    rows = rows[np.lexsort((rows, -scores[rows]))]
    return rows, scores[rows], columns, weights


def shared_terms(
    index: SimilarityIndex,
    rows: npt.NDArray[np.int64],
    columns: npt.NDArray[np.int32],
    weights: npt.NDArray[np.float32],
) -> list[tuple[str, ...]]:
    """For each row, the query terms it also holds, the most telling (heaviest) first."""
    subject, body, _ = index.rows_matrix(rows)
    out = []
    for n in range(rows.size):
        held = np.union1d(
            subject.indices[subject.indptr[n] : subject.indptr[n + 1]],
            body.indices[body.indptr[n] : body.indptr[n + 1]],
        )
        mine = np.isin(columns, held)
        order = np.argsort(-weights[mine], kind="stable")[:REASON_TERMS]
        out.append(tuple(index.vocabulary.terms[c] for c in columns[mine][order]))
    return out


def find_similar(
    index: SimilarityIndex, ticket_or_id: Ticket | str, k: int, earlier_only: bool
) -> list[Match]:
    if not isinstance(k, int) or isinstance(k, bool) or k < 1:
        raise InvalidInput("k", f"is {k!r}", "Ask for at least 1 similar ticket")
    if not len(index):
        raise RuleRefused(
            "R-REC-2",
            "no tickets are indexed yet, so none can be similar",
            ["import the helpdesk tickets first"],
        )
    query = make_query(index, ticket_or_id)
    from escdesk.recurring.rerank import rerank

    rows, scores, columns, weights = candidates(index, query, max(CANDIDATES, k), earlier_only)
    query_id = ticket_or_id.external_id if isinstance(ticket_or_id, Ticket) else ticket_or_id
    rows, scores = rerank(index, query, rows, scores, columns, weights, query_id)
    rows, scores = rows[:k], scores[:k]
    reasons = shared_terms(index, rows, columns, weights)
    return [
        Match(index.ids[row], round(float(score), 6), reason)
        for row, score, reason in zip(rows, scores, reasons, strict=True)
    ]


__all__ = ["Query", "candidates", "find_similar", "make_query"]
