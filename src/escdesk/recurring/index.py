"""The similar-tickets index (R-REC-2): add tickets as they are imported, ask for the earlier
tickets most like a new one, save it next to the database and load it back.

It lives in memory as a few sparse segments (see `segments`); adding seals a new segment and
merges small ones, so a ticket is searchable the moment `add` returns and an import of a million
tickets never holds more than one batch of Python objects at a time.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.domain.errors import InvalidInput
from escdesk.domain.ticket import Ticket
from escdesk.recurring.batch import LABEL_FIELDS, Batch, read
from escdesk.recurring.segments import Bm25f, Segment, merge, widen
from escdesk.recurring.vocabulary import DEFAULT_MAX_TERMS, Vocabulary

BATCH_SIZE = 50_000  # tickets read before a segment is sealed: bounds the Python-object peak


@dataclass(frozen=True)
class Match:
    """One similar ticket: its id, how alike (higher is closer) and the terms both share."""

    id: str
    score: float
    shared_terms: tuple[str, ...]


class SimilarityIndex:
    """Tickets by id, searchable for similar ones; see `escdesk.recurring.similar` for ranking."""

    def __init__(
        self, bm25f: Bm25f | None = None, *, max_terms: int = DEFAULT_MAX_TERMS, rerank: bool = True
    ) -> None:
        from escdesk.recurring.rerank import Reranker, default_reranker

        self.bm25f = bm25f or Bm25f()
        self.reranker: Reranker | None = default_reranker() if rerank else None
        self.vocabulary = Vocabulary(max_terms)
        self.labels = Vocabulary(max_terms)
        self.ids: list[str] = []
        self.rows: dict[str, int] = {}
        self.created = np.zeros(0, dtype=np.int64)  # microseconds since the epoch
        self.subject_length = np.zeros(0, dtype=np.float32)
        self.body_length = np.zeros(0, dtype=np.float32)
        self.label_codes = np.zeros((0, len(LABEL_FIELDS)), dtype=np.int32)
        self.alive = np.zeros(0, dtype=bool)
        self.segments: list[Segment] = []
        self._idf: npt.NDArray[np.float32] | None = None  # caches, dropped on every change
        self._averages: tuple[float, float] | None = None

    def __len__(self) -> int:
        """Tickets that can be found (a re-imported ticket counts once)."""
        return len(self.rows)

    def __contains__(self, ticket_id: object) -> bool:
        return ticket_id in self.rows

    def averages(self) -> tuple[float, float]:
        """Mean subject and body length over the live tickets (BM25 length normalisation)."""
        if self._averages is None:
            live = max(int(self.alive.sum()), 1)
            self._averages = (
                float(self.subject_length[self.alive].sum()) / live,
                float(self.body_length[self.alive].sum()) / live,
            )
        return self._averages

    def add(self, tickets: Iterable[Ticket]) -> int:
        """Index tickets (a generator is fine); a ticket whose id is already indexed replaces the
        old version. Returns how many were read. Searchable as soon as this returns; if reading
        fails part-way, the tickets before the failure are indexed and the index stays whole."""
        batch = Batch()
        count = 0
        try:
            for ticket in tickets:
                if not isinstance(ticket, Ticket):
                    raise InvalidInput(
                        "tickets", f"holds a {type(ticket).__name__}", "Pass Ticket records only"
                    )
                reading = read(ticket, self.bm25f.subject_phrases)
                old = self.rows.get(ticket.external_id)
                if old is not None and old >= len(self.ids):  # re-imported within this batch
                    self._seal(batch)
                    batch = Batch()
                if old is not None:
                    self._retire(old)
                self.rows[ticket.external_id] = len(self.ids) + len(batch)
                batch.append(ticket, reading, self.vocabulary, self.labels)
                count += 1
                if len(batch) >= BATCH_SIZE:
                    self._seal(batch)
                    batch = Batch()
        finally:
            self._seal(batch)
        return count

    def similar(
        self, ticket_or_id: Ticket | str, k: int = 10, earlier_only: bool = False
    ) -> list[Match]:
        """The k most similar indexed tickets, best first; with `earlier_only`, only tickets
        created strictly before the query ticket (what its reporter could have found)."""
        from escdesk.recurring.similar import find_similar

        return find_similar(self, ticket_or_id, k, earlier_only)

    def save(self, directory: str | Path) -> None:
        """Write the index as NumPy arrays and UTF-8 text into `directory` (no pickle)."""
        from escdesk.recurring.storage import save

        save(self, Path(directory))

    @classmethod
    def load(cls, directory: str | Path, *, mmap: bool = False) -> SimilarityIndex:
        """Read an index written by `save`; `mmap` maps the big arrays instead of reading them."""
        from escdesk.recurring.storage import load

        return load(Path(directory), mmap=mmap)

    # -- rows ----------------------------------------------------------------------------------

    def segment_of(self, row: int) -> Segment:
        starts = [segment.start for segment in self.segments]
        return self.segments[bisect.bisect_right(starts, row) - 1]

    def counts_of(self, row: int) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """Subject counts, body counts and tags of one row, as 1-row sparse matrices."""
        segment = self.segment_of(row)
        local = row - segment.start
        return (
            segment.subject[local : local + 1],
            segment.body[local : local + 1],
            segment.tags[local : local + 1],
        )

    def _retire(self, row: int) -> None:
        subject, body, _ = self.counts_of(row)
        columns = np.union1d(subject.indices, body.indices).astype(np.int32)
        self.vocabulary.forget_documents(columns)
        self.alive[row] = False
        self._idf = self._averages = None

    def _seal(self, batch: Batch) -> None:
        if not len(batch):
            return
        start = len(self.ids)
        subject = batch.subject.matrix(len(self.vocabulary))
        body = batch.body.matrix(len(self.vocabulary))
        tags = batch.tags.matrix(len(self.labels))
        either = sp.csr_matrix(subject.astype(np.int32) + body.astype(np.int32))
        self.vocabulary.count_documents(either.indices)
        created, subject_length, body_length = batch.arrays()
        self.ids.extend(batch.ids)
        self.created = np.concatenate([self.created, created])
        self.subject_length = np.concatenate([self.subject_length, subject_length])
        self.body_length = np.concatenate([self.body_length, body_length])
        self.label_codes = np.concatenate([self.label_codes, batch.label_matrix()])
        self.alive = np.concatenate([self.alive, np.ones(len(batch), dtype=bool)])
        self._idf = self._averages = None
        averages = self.averages()
        lengths = (subject_length, body_length)
        self.segments.append(
            Segment.seal(start, subject, body, tags, lengths, averages, self.bm25f)
        )
        # Merge like a binary counter: each row is rewritten O(log n) times over an import.
        while len(self.segments) >= 2 and self.segments[-1].rows * 2 >= self.segments[-2].rows:
            second = self.segments.pop()
            first = self.segments.pop()
            end = second.start + second.rows
            span = (self.subject_length[first.start : end], self.body_length[first.start : end])
            self.segments.append(merge(first, second, span, averages, self.bm25f))

    def idf_all(self) -> npt.NDArray[np.float32]:
        """Robertson–Spärck Jones idf of every column over the live tickets, cached between adds."""
        if self._idf is None or self._idf.size != len(self.vocabulary):
            n = max(len(self), 1)
            df = self.vocabulary.df.astype(np.float64)
            self._idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        return self._idf

    def rows_matrix(
        self, rows: npt.NDArray[np.int64]
    ) -> tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]:
        """Subject counts, body counts and tags of many rows, in the order given."""
        width = len(self.vocabulary)
        tag_width = len(self.labels)
        parts: list[tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]] = []
        order: list[npt.NDArray[np.int64]] = []
        starts = np.array([segment.start for segment in self.segments])
        owner = np.searchsorted(starts, rows, side="right") - 1
        for number in np.unique(owner):
            segment = self.segments[number]
            picked = np.flatnonzero(owner == number)
            local = rows[picked] - segment.start
            parts.append(
                (
                    widen(segment.subject[local], width),
                    widen(segment.body[local], width),
                    widen(segment.tags[local], tag_width),
                )
            )
            order.append(picked)
        if not parts:
            empty = sp.csr_matrix((0, width), dtype=np.uint16)
            return empty, empty, sp.csr_matrix((0, tag_width), dtype=np.uint16)
        back = np.argsort(np.concatenate(order), kind="stable")
        return tuple(
            sp.csr_matrix(sp.vstack([p[i] for p in parts], format="csr")[back]) for i in range(3)
        )
