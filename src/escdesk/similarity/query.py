"""A ticket as a query: its term counts in the corpus's columns, whether it is indexed or not.

A query is either an indexed ticket (by key) or a Ticket not indexed yet (a new one being
filed). Words no indexed ticket holds are dropped: they cannot make any ticket similar.
A ticket typed as a query ("NameNode runs out of memory after upgrade") weighs the parts of its
identifiers (the "name" and "node" of "NameNode") at `PART_WEIGHT`: the identifier is matched
whole and in parts, but counts about as much as one plain word, not three.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.domain.errors import NotFound
from escdesk.domain.ticket import Ticket
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.reading import microseconds, read
from escdesk.similarity.segments import weigh
from escdesk.similarity.text import identifier_parts

PART_WEIGHT = 0.25


@dataclass(frozen=True)
class Query:
    """A ticket as the corpus sees it, whether or not it is indexed."""

    row: int | None  # its own row, never a result
    created: int  # microseconds since the epoch
    subject: sp.csr_matrix  # 1 × terms counts
    body: sp.csr_matrix
    tags: sp.csr_matrix
    labels: npt.NDArray[np.int32]
    lengths: tuple[float, float]  # subject and body words, for BM25 length normalisation
    key: str | None = None  # the ticket's key, when it has one
    parts: npt.NDArray[np.int32] | None = None  # columns weighed at PART_WEIGHT (sorted)


def make_query(corpus: Corpus, ticket_or_key: Ticket | str) -> Query:
    if isinstance(ticket_or_key, Ticket):
        return _query_of_ticket(corpus, ticket_or_key)
    row = corpus.row_of(ticket_or_key)
    if row is None:
        raise NotFound("ticket", ticket_or_key)
    subject, body, tags = corpus.counts_of(row)
    lengths = (float(corpus.subject_length[row]), float(corpus.body_length[row]))
    return Query(
        row,
        int(corpus.created[row]),
        subject,
        body,
        tags,
        corpus.label_codes[row],
        lengths,
        ticket_or_key,
    )


def _query_of_ticket(corpus: Corpus, ticket: Ticket) -> Query:
    reading = read(ticket, corpus.bm25f.subject_phrases)
    vocabulary, labels = corpus.vocabulary, corpus.labels

    def counts(counter: dict[str, int]) -> sp.csr_matrix:
        """Known terms only: a word no indexed ticket has cannot make one similar."""
        pairs = sorted((c, n) for t, n in counter.items() if (c := vocabulary.id_of(t)) is not None)
        columns = np.array([c for c, _ in pairs], dtype=np.int32)
        values = np.array([n for _, n in pairs], dtype=np.uint16)
        return sp.csr_matrix(
            (values, columns, np.array([0, len(pairs)])), shape=(1, len(vocabulary))
        )

    tag_columns = sorted({c for t in reading.tags if (c := labels.id_of(t)) is not None})
    tags = sp.csr_matrix(
        (np.ones(len(tag_columns), dtype=np.uint16), tag_columns, [0, len(tag_columns)]),
        shape=(1, len(labels)),
    )
    codes = np.array(
        [-1 if lb is None or (c := labels.id_of(lb)) is None else c for lb in reading.labels],
        dtype=np.int32,
    )
    parts = identifier_parts(f"{ticket.subject}\n{ticket.body}")
    part_columns = sorted({c for t in parts if (c := vocabulary.id_of(t)) is not None})
    return Query(
        corpus.row_of(ticket.external_id),
        microseconds(ticket),
        counts(reading.subject),
        counts(reading.body),
        tags,
        codes,
        (float(reading.subject_length), float(reading.body_length)),
        ticket.external_id,
        np.array(part_columns, dtype=np.int32),
    )


def query_weights(
    corpus: Corpus, query: Query
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.float32]]:
    """The query's columns and their idf × BM25F weights."""
    subject_length = np.array([query.lengths[0]], dtype=np.float32)
    body_length = np.array([query.lengths[1]], dtype=np.float32)
    row = weigh(
        query.subject, query.body, subject_length, body_length, corpus.averages(), corpus.bm25f
    )
    columns = row.indices.astype(np.int32)
    weights = row.data * corpus.idf_all()[columns]
    if query.parts is not None and query.parts.size:
        weights = np.where(np.isin(columns, query.parts), weights * PART_WEIGHT, weights)
    return columns, weights.astype(np.float32)


def self_score(
    corpus: Corpus, columns: npt.NDArray[np.int32], weights: npt.NDArray[np.float32]
) -> float:
    """The BM25F score the query would give itself: the scale of a perfect match."""
    idf = corpus.idf_all()[columns]
    return float((weights * weights / np.maximum(idf, 1e-9)).sum())
