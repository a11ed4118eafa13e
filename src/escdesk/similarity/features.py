"""Pair features: how a candidate relates to the query, field by field, for the re-ranker.

BM25F adds every shared word into one number. Duplicates show themselves in more specific ways:
the two subjects say the same thing, one ticket's subject is spelled out in the other's body,
they share a rare identifier, one names the other's id, they were filed days apart on the same
component. Each feature is a number any support lead could check by hand.

Time counts twice: as days apart, and as how many of the other candidates were filed closer to
the query. The second means the same on a tracker that files ten tickets a day or a thousand, so
it carries from the small public training set to other desks (bench/similar_tickets.py: RR@10
+3 to +4 points on the Bugzilla sets dated by bug number, +0.2 on OpenOffice's real dates).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.similarity.corpus import Corpus
from escdesk.similarity.query import Query
from escdesk.similarity.reading import LABEL_FIELDS
from escdesk.similarity.segments import widen

FEATURES = (
    "bm25f_vs_best",
    "bm25f_vs_self",
    "log_rank",
    "subject_cosine",
    "body_cosine",
    "text_cosine",
    "query_subject_in_candidate",
    "candidate_subject_in_query",
    "rarest_shared_idf",
    "names_the_other",
    "log_days_apart",
    *(f"same_{name}" for name in LABEL_FIELDS),
    "shared_tags",
    "log_candidate_length",
    "log_closer_in_time",
)

_DAY_US = 86_400 * 1_000_000

# Sparse rows are handled as plain arrays (sorted columns, values, row pointers): a query has
# ~100 candidates, and scipy's per-operation overhead would cost more than the arithmetic.


def _row_sums(
    values: npt.NDArray[np.floating[Any]], indptr: npt.NDArray[Any]
) -> npt.NDArray[np.float64]:
    total = np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])
    sums: npt.NDArray[np.float64] = total[indptr[1:]] - total[indptr[:-1]]
    return sums


def _lookup(
    columns: npt.NDArray[Any], values: npt.NDArray[Any], matrix: sp.csr_matrix
) -> npt.NDArray[np.float64]:
    """For every stored entry of `matrix`, the query's value in that column (0 if absent)."""
    if not columns.size or not matrix.nnz:
        return np.zeros(matrix.nnz)
    position = np.searchsorted(columns, matrix.indices)
    position[position == columns.size] = 0
    return np.where(columns[position] == matrix.indices, values[position], 0.0)


def _unit(counts: sp.csr_matrix, idf: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
    """Entry values of sublinear tf × idf rows scaled to unit length (cosine by dot product)."""
    data = np.log1p(counts.data.astype(np.float64)) * idf[counts.indices]
    norms = np.sqrt(_row_sums(data * data, counts.indptr))
    norms[norms == 0] = 1.0
    unit: npt.NDArray[np.float64] = data / np.repeat(norms, np.diff(counts.indptr))
    return unit


def _cosine(
    query: sp.csr_matrix, candidates: sp.csr_matrix, idf: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    query = _sorted(query)
    products = _unit(candidates, idf) * _lookup(query.indices, _unit(query, idf), candidates)
    return _row_sums(products, candidates.indptr)


def _sorted(row: sp.csr_matrix) -> sp.csr_matrix:
    row = sp.csr_matrix(row, copy=True)
    row.sum_duplicates()  # canonical: sorted, unique columns
    return row


def _covered(
    query: sp.csr_matrix, candidates: sp.csr_matrix, idf: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """Share of the query row's idf mass whose terms each candidate also holds."""
    query = _sorted(query)
    mass = idf[query.indices].astype(np.float64)
    if not mass.size:
        return np.zeros(candidates.shape[0])
    held = _row_sums(_lookup(query.indices, mass, candidates), candidates.indptr)
    share: npt.NDArray[np.float64] = held / mass.sum()
    return share


def _covered_back(
    query: sp.csr_matrix, candidates: sp.csr_matrix, idf: npt.NDArray[np.float32]
) -> npt.NDArray[np.float64]:
    """Share of each candidate row's idf mass whose terms the query holds."""
    query = _sorted(query)
    mass = idf[candidates.indices].astype(np.float64)
    held = _lookup(query.indices, np.ones(query.indices.size), candidates) * mass
    total = _row_sums(mass, candidates.indptr)
    return np.where(total > 0, _row_sums(held, candidates.indptr) / np.maximum(total, 1e-9), 0.0)


def _rarest_shared(
    query: sp.csr_matrix, candidates: sp.csr_matrix, idf: npt.NDArray[np.float32], top: float
) -> npt.NDArray[np.float64]:
    query = _sorted(query)
    shared = _lookup(query.indices, np.ones(query.indices.size), candidates)
    values = np.append(shared * idf[candidates.indices], 0.0)
    starts = np.minimum(candidates.indptr[:-1], candidates.nnz)
    best = np.maximum.reduceat(values, starts) if starts.size else np.zeros(0)
    best[np.diff(candidates.indptr) == 0] = 0.0
    return best / max(top, 1e-9)


def pair_features(
    corpus: Corpus,
    query: Query,
    rows: npt.NDArray[np.int64],
    scores: npt.NDArray[np.float64],
    self_score: float,
) -> npt.NDArray[np.float64]:
    """One row of `FEATURES` per candidate row (BM25F `scores`, best first)."""
    idf = corpus.idf_all()
    width = idf.size
    q_subject, q_body = widen(query.subject, width), widen(query.body, width)
    c_subject, c_body, c_tags = corpus.rows_matrix(rows)
    q_text, c_text = _sorted(q_subject + q_body), sp.csr_matrix(c_subject + c_body)
    n = rows.size
    out = np.zeros((n, len(FEATURES)))
    best = scores[0] if n and scores[0] > 0 else 1.0
    out[:, 0] = scores / best
    out[:, 1] = scores / max(self_score, 1e-9)
    out[:, 2] = np.log1p(np.arange(n))
    out[:, 3] = _cosine(q_subject, c_subject, idf)
    out[:, 4] = _cosine(q_body, c_body, idf)
    out[:, 5] = _cosine(q_text, c_text, idf)
    out[:, 6] = _covered(q_subject, c_text, idf)
    out[:, 7] = _covered_back(q_text, c_subject, idf)
    live = max(len(corpus), 1)
    out[:, 8] = _rarest_shared(q_text, c_text, idf, float(np.log1p((live - 0.5) / 1.5)))
    out[:, 9] = _names(corpus, q_text, rows, query.key, c_text)
    gap = np.abs(query.created - corpus.created[rows]).astype(np.float64) / _DAY_US
    out[:, 10] = np.log1p(gap)
    labels = corpus.label_codes[rows]
    known = (labels >= 0) & (query.labels >= 0)
    out[:, 11 : 11 + len(LABEL_FIELDS)] = np.where(
        known, np.where(labels == query.labels, 1, -1), 0
    )
    tag_column = 11 + len(LABEL_FIELDS)
    if query.tags.nnz:
        q_tags = _sorted(query.tags)
        common = _row_sums(_lookup(q_tags.indices, np.ones(q_tags.nnz), c_tags), c_tags.indptr)
        union = q_tags.nnz + np.diff(c_tags.indptr) - common
        out[:, tag_column] = common / np.maximum(union, 1)
    out[:, tag_column + 1] = np.log1p(corpus.body_length[rows] + corpus.subject_length[rows])
    out[:, tag_column + 2] = np.log1p(np.searchsorted(np.sort(gap), gap, side="left"))
    return out


def _names(
    corpus: Corpus,
    query_text: sp.csr_matrix,
    rows: npt.NDArray[np.int64],
    query_id: str | None,
    candidate_text: sp.csr_matrix,
) -> npt.NDArray[np.float64]:
    """1 where either ticket's text contains the other's id as a term ("dup of #4711")."""
    out = np.zeros(rows.size)
    own = corpus.vocabulary.id_of(query_id.lower()) if query_id else None
    if own is not None:
        out = np.minimum(_row_sums(candidate_text.indices == own, candidate_text.indptr), 1.0)
    held = set(query_text.indices.tolist())
    for i, row in enumerate(rows):
        column = corpus.vocabulary.id_of(corpus.ids[row].lower())
        if column is not None and column in held:
            out[i] = 1.0
    return out
