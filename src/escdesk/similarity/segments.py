"""Immutable slices of the index, as in Lucene: adding tickets seals a new segment, small
segments are merged into bigger ones, so an add never rewrites the whole index.

A segment keeps, for a contiguous range of ticket rows, the raw term counts of the subject and
the body (sparse rows: what a ticket says) and the BM25F weights derived from them (what search
reads). Big segments keep the weights column-wise — one posting list per term, so a query reads
only the tickets that share a term with it; small ones row-wise, where a full scan costs less
than a per-term index over millions of columns.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

COLUMNWISE_FROM = 20_000  # rows; below this a segment is scanned row-wise


@dataclass(frozen=True)
class Bm25f:
    """Field-weighted BM25 (Robertson & Zaragoza): a subject word counts `subject` times a body
    word, each field normalised by its own average length, then saturated once."""

    k1: float = 2.0
    subject: float = 3.0
    body: float = 1.0
    subject_b: float = 0.5
    body_b: float = 0.75
    # Also index adjacent subject word pairs. Off: measured no better once re-ranked, and on a
    # million tickets they are most of the vocabulary.
    subject_phrases: bool = False


def weigh(
    subject: sp.csr_matrix,
    body: sp.csr_matrix,
    subject_len: npt.NDArray[np.float32],
    body_len: npt.NDArray[np.float32],
    averages: tuple[float, float],
    bm25f: Bm25f,
) -> sp.csr_matrix:
    """Saturated, length-normalised term weights of each row (idf is applied at query time, so
    that it stays right as the index grows)."""
    avg_subject, avg_body = (max(a, 1.0) for a in averages)
    subject_norm = bm25f.subject / (
        1 - bm25f.subject_b + bm25f.subject_b * subject_len / avg_subject
    )
    body_norm = bm25f.body / (1 - bm25f.body_b + bm25f.body_b * body_len / avg_body)
    columns = max(subject.shape[1], body.shape[1])
    subject = widen(subject, columns)
    body = widen(body, columns)
    tf = sp.diags(subject_norm.astype(np.float32)) @ subject.astype(np.float32)
    tf = tf + sp.diags(body_norm.astype(np.float32)) @ body.astype(np.float32)
    tf = sp.csr_matrix(tf, dtype=np.float32)
    tf.data = tf.data / (bm25f.k1 + tf.data)
    return tf


def widen(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    if matrix.shape[1] == columns:
        return matrix
    return sp.csr_matrix(
        (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns)
    )


@dataclass
class Segment:
    """Rows `start … start + rows - 1` of the index."""

    start: int
    subject: sp.csr_matrix  # term counts, uint16
    body: sp.csr_matrix  # term counts, uint16
    tags: sp.csr_matrix  # 0/1: tags and other labels, for re-ranking only
    weights: sp.csr_matrix | sp.csc_matrix

    @property
    def rows(self) -> int:
        return int(self.subject.shape[0])

    @classmethod
    def seal(
        cls,
        start: int,
        subject: sp.csr_matrix,
        body: sp.csr_matrix,
        tags: sp.csr_matrix,
        lengths: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]],
        averages: tuple[float, float],
        bm25f: Bm25f,
    ) -> Segment:
        weights: sp.csr_matrix | sp.csc_matrix = weigh(
            subject, body, lengths[0], lengths[1], averages, bm25f
        )
        if weights.shape[0] >= COLUMNWISE_FROM:
            weights = weights.tocsc()
        return cls(start, subject, body, tags, weights)

    def scores(
        self, columns: npt.NDArray[np.int64], query: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float64]:
        """Dot product of every row with a sparse query (its columns and idf-scaled weights)."""
        known = columns < self.weights.shape[1]
        columns, query = columns[known], query[known]
        if isinstance(self.weights, sp.csc_matrix):
            indptr = self.weights.indptr
            starts, ends = indptr[columns], indptr[columns + 1]
            if not columns.size or not (ends - starts).any():
                return np.zeros(self.rows)
            rows = np.concatenate(
                [self.weights.indices[s:e] for s, e in zip(starts, ends, strict=True)]
            )
            values = np.concatenate(
                [self.weights.data[s:e] * w for s, e, w in zip(starts, ends, query, strict=True)]
            )
            return np.bincount(rows, weights=values, minlength=self.rows).astype(np.float64)
        vector = sp.csc_matrix(
            (query, (columns, np.zeros(columns.size, dtype=np.int64))),
            shape=(self.weights.shape[1], 1),
        )
        return np.asarray((self.weights @ vector).todense(), dtype=np.float64).ravel()


def merge(
    first: Segment,
    second: Segment,
    lengths: tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]],
    averages: tuple[float, float],
    bm25f: Bm25f,
) -> Segment:
    """One segment for two adjacent ones; weights are recomputed with today's averages."""
    columns = max(
        first.subject.shape[1], second.subject.shape[1], first.body.shape[1], second.body.shape[1]
    )
    tag_columns = max(first.tags.shape[1], second.tags.shape[1])

    def stack(a: sp.csr_matrix, b: sp.csr_matrix, width: int) -> sp.csr_matrix:
        return sp.csr_matrix(sp.vstack([widen(a, width), widen(b, width)], format="csr"))

    return Segment.seal(
        first.start,
        stack(first.subject, second.subject, columns),
        stack(first.body, second.body, columns),
        stack(first.tags, second.tags, tag_columns),
        lengths,
        averages,
        bm25f,
    )
