"""The indexed tickets (R-REC-2): term counts by segment, a few numbers per ticket, and the
vocabulary that names every column — the bottom layer of the similarity engine.

Tickets are added in batches; each batch is sealed as a new segment and small segments are
merged (see `segments`), so a ticket is searchable the moment `add` returns and an import of a
million tickets never holds more than one batch of Python objects at a time.

Only `add` changes a corpus. Everything the layers above read — creation times, lengths, label
codes, which rows are live — is handed out as read-only NumPy views, so no query, feature or
grouping code can change the index by accident.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.domain.errors import InvalidInput
from escdesk.domain.ticket import Ticket
from escdesk.similarity.reading import LABEL_FIELDS, Batch, Reader, fields_of
from escdesk.similarity.segments import Bm25f, Segment, merge, widen
from escdesk.similarity.vocabulary import DEFAULT_MAX_TERMS, Vocabulary

BATCH_SIZE = 50_000  # tickets read before a segment is sealed: bounds the Python-object peak

Counts = tuple[sp.csr_matrix, sp.csr_matrix, sp.csr_matrix]
"""Subject counts, body counts and tags of some rows."""


def _frozen(values: npt.NDArray[np.generic]) -> npt.NDArray[np.generic]:
    view = values.view()
    view.flags.writeable = False
    return view


@dataclass(frozen=True)
class CorpusState:
    """Everything a corpus is made of, for storage to write and read back."""

    bm25f: Bm25f
    vocabulary: Vocabulary
    labels: Vocabulary
    ids: list[str]
    created: npt.NDArray[np.int64]
    subject_length: npt.NDArray[np.float32]
    body_length: npt.NDArray[np.float32]
    label_codes: npt.NDArray[np.int32]
    alive: npt.NDArray[np.bool_]
    segments: list[Segment]


class Corpus:
    """Tickets by key, as term counts and BM25F weights; grows with `add`."""

    def __init__(self, bm25f: Bm25f | None = None, *, max_terms: int = DEFAULT_MAX_TERMS) -> None:
        self.bm25f = bm25f or Bm25f()
        self.vocabulary = Vocabulary(max_terms)
        self.labels = Vocabulary(max_terms)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._created = np.zeros(0, dtype=np.int64)  # microseconds since the epoch
        self._subject_length = np.zeros(0, dtype=np.float32)
        self._body_length = np.zeros(0, dtype=np.float32)
        self._label_codes = np.zeros((0, len(LABEL_FIELDS)), dtype=np.int32)
        self._alive = np.zeros(0, dtype=bool)
        self._segments: list[Segment] = []
        self._idf: npt.NDArray[np.float32] | None = None  # caches, dropped on every change
        self._averages: tuple[float, float] | None = None

    # -- reading ---------------------------------------------------------------------------

    def __len__(self) -> int:
        """Tickets that can be found (a re-imported ticket counts once)."""
        return len(self._rows)

    def __contains__(self, key: object) -> bool:
        return key in self._rows

    @property
    def ids(self) -> Sequence[str]:
        """The key of every row, live or replaced, in row order."""
        return self._ids

    def row_of(self, key: str) -> int | None:
        """The live row of a key, or None."""
        return self._rows.get(key)

    @property
    def rows(self) -> int:
        """Rows ever added (replaced tickets keep their dead row)."""
        return len(self._ids)

    @property
    def created(self) -> npt.NDArray[np.int64]:
        return _frozen(self._created)  # type: ignore[return-value]

    @property
    def subject_length(self) -> npt.NDArray[np.float32]:
        return _frozen(self._subject_length)  # type: ignore[return-value]

    @property
    def body_length(self) -> npt.NDArray[np.float32]:
        return _frozen(self._body_length)  # type: ignore[return-value]

    @property
    def label_codes(self) -> npt.NDArray[np.int32]:
        return _frozen(self._label_codes)  # type: ignore[return-value]

    @property
    def alive(self) -> npt.NDArray[np.bool_]:
        return _frozen(self._alive)  # type: ignore[return-value]

    @property
    def segments(self) -> Sequence[Segment]:
        return tuple(self._segments)

    def averages(self) -> tuple[float, float]:
        """Mean subject and body length over the live tickets (BM25 length normalisation)."""
        if self._averages is None:
            live = max(int(self._alive.sum()), 1)
            self._averages = (
                float(self._subject_length[self._alive].sum()) / live,
                float(self._body_length[self._alive].sum()) / live,
            )
        return self._averages

    def idf_all(self) -> npt.NDArray[np.float32]:
        """Robertson–Spärck Jones idf of every column over the live tickets, cached between adds."""
        if self._idf is None or self._idf.size != len(self.vocabulary):
            n = max(len(self), 1)
            df = self.vocabulary.df.astype(np.float64)
            self._idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        return _frozen(self._idf)  # type: ignore[return-value]

    def counts_of(self, row: int) -> Counts:
        """Subject counts, body counts and tags of one row, as 1-row sparse matrices."""
        starts = [segment.start for segment in self._segments]
        segment = self._segments[bisect.bisect_right(starts, row) - 1]
        local = row - segment.start
        return (
            segment.subject[local : local + 1],
            segment.body[local : local + 1],
            segment.tags[local : local + 1],
        )

    def rows_matrix(self, rows: npt.NDArray[np.int64]) -> Counts:
        """Subject counts, body counts and tags of many rows, in the order given."""
        width = len(self.vocabulary)
        tag_width = len(self.labels)
        parts: list[Counts] = []
        order: list[npt.NDArray[np.int64]] = []
        starts = np.array([segment.start for segment in self._segments])
        owner = np.searchsorted(starts, rows, side="right") - 1
        for number in np.unique(owner):
            segment = self._segments[number]
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
            empty = sp.csr_matrix(np.zeros((0, width), dtype=np.uint16))
            return empty, empty, sp.csr_matrix(np.zeros((0, tag_width), dtype=np.uint16))
        back = np.argsort(np.concatenate(order), kind="stable")
        subject, body, tags = (
            sp.csr_matrix(sp.vstack([p[i] for p in parts], format="csr")[back]) for i in range(3)
        )
        return subject, body, tags

    def scores(
        self, columns: npt.NDArray[np.int64], weights: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float64]:
        """The BM25F score of every row for a query given as columns and idf-scaled weights."""
        return np.concatenate([segment.scores(columns, weights) for segment in self._segments])

    # -- growing ---------------------------------------------------------------------------

    def add(self, tickets: Iterable[Ticket]) -> int:
        """Index tickets (a generator is fine); a ticket whose key is already indexed replaces the
        old version. Returns how many were read. Searchable as soon as this returns; if reading
        fails part-way, the tickets before the failure are indexed and the corpus stays whole."""
        batch = Batch()
        count = 0
        reader = Reader(self.vocabulary, self.labels, self.bm25f.subject_phrases)
        try:
            for ticket in tickets:
                if not isinstance(ticket, Ticket):
                    raise InvalidInput(
                        "tickets", f"holds a {type(ticket).__name__}", "Pass Ticket records only"
                    )
                fields, old = fields_of(ticket), self._rows.get(ticket.external_id)
                if old is not None and old >= len(self._ids):  # re-imported within this batch
                    self._seal(batch)
                    batch = Batch()
                if old is not None:
                    self._retire(old)
                self._rows[ticket.external_id] = len(self._ids) + len(batch)
                reader.append(batch, fields)
                count += 1
                if len(batch) >= BATCH_SIZE:
                    self._seal(batch)
                    batch = Batch()
        finally:
            self._seal(batch)
        return count

    def adopt(self, batches: Iterable[Batch]) -> int:
        """Add batches read ahead in this corpus's columns (`Prepared.batches_for`); as in `add`,
        a key already indexed is replaced. Returns how many rows were added."""
        before = len(self._ids)
        for batch in batches:
            for row, key in enumerate(batch.ids, start=len(self._ids)):
                if (old := self._rows.get(key)) is not None:
                    self._retire(old)
                self._rows[key] = row
            self._seal(batch)
        return len(self._ids) - before

    def _retire(self, row: int) -> None:
        subject, body, _ = self.counts_of(row)
        columns = np.union1d(subject.indices, body.indices).astype(np.int32)
        self.vocabulary.forget_documents(columns)
        self._alive[row] = False
        self._idf = self._averages = None

    def _seal(self, batch: Batch) -> None:
        if not len(batch):
            return
        start = len(self._ids)
        subject = batch.subject.matrix(len(self.vocabulary))
        body = batch.body.matrix(len(self.vocabulary))
        tags = batch.tags.matrix(len(self.labels))
        either = sp.csr_matrix(subject.astype(np.int32) + body.astype(np.int32))
        self.vocabulary.count_documents(either.indices)
        created, subject_length, body_length = batch.arrays()
        self._ids.extend(batch.ids)
        self._created = np.concatenate([self._created, created])
        self._subject_length = np.concatenate([self._subject_length, subject_length])
        self._body_length = np.concatenate([self._body_length, body_length])
        self._label_codes = np.concatenate([self._label_codes, batch.label_matrix()])
        self._alive = np.concatenate([self._alive, np.ones(len(batch), dtype=bool)])
        self._idf = self._averages = None
        averages = self.averages()
        lengths = (subject_length, body_length)
        self._segments.append(
            Segment.seal(start, subject, body, tags, lengths, averages, self.bm25f)
        )
        # Merge like a binary counter: each row is rewritten O(log n) times over an import.
        while len(self._segments) >= 2 and self._segments[-1].rows * 2 >= self._segments[-2].rows:
            second = self._segments.pop()
            first = self._segments.pop()
            end = second.start + second.rows
            span = (self._subject_length[first.start : end], self._body_length[first.start : end])
            self._segments.append(merge(first, second, span, averages, self.bm25f))

    # -- storage ---------------------------------------------------------------------------

    def state(self) -> CorpusState:
        """What storage writes (the arrays themselves: do not change them)."""
        return CorpusState(
            self.bm25f,
            self.vocabulary,
            self.labels,
            self._ids,
            self._created,
            self._subject_length,
            self._body_length,
            self._label_codes,
            self._alive,
            self._segments,
        )

    @classmethod
    def restore(cls, state: CorpusState) -> Corpus:
        """A corpus as it was saved; it keeps growing from there."""
        if len(state.ids) != state.alive.size or len(state.ids) != sum(
            s.rows for s in state.segments
        ):
            raise ValueError("ids and rows disagree")
        corpus = cls(state.bm25f)
        corpus.vocabulary, corpus.labels = state.vocabulary, state.labels
        corpus._ids = list(state.ids)
        corpus._created = np.array(state.created, dtype=np.int64)
        corpus._subject_length = np.array(state.subject_length, dtype=np.float32)
        corpus._body_length = np.array(state.body_length, dtype=np.float32)
        corpus._label_codes = np.array(state.label_codes, dtype=np.int32)
        corpus._alive = np.array(state.alive, dtype=bool)
        corpus._rows = {key: row for row, key in enumerate(corpus._ids) if corpus._alive[row]}
        corpus._segments = list(state.segments)
        return corpus
