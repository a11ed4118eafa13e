"""Tickets on their way into the index: read into term counts, held until sealed as a segment."""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.domain.ticket import Ticket
from escdesk.similarity.frames import plain_frames
from escdesk.similarity.text import ascii_tokens, phrases, terms, token_terms
from escdesk.similarity.vocabulary import Vocabulary

# The single-valued labels a re-ranker compares ("same account", "same component").
LABEL_FIELDS = ("account", "product_area", "component", "priority")
_EPOCH_US = 1_000_000
_CACHED = 300_000  # tokens whose columns a reader remembers (emptied when full)

_Text = str | None
Fields = tuple[str, str, str, float, _Text, _Text, _Text, _Text, tuple[str, ...]]
"""What the index reads of a ticket, as plain values (cheap to send to another process): key,
subject, body, creation as a POSIX timestamp, the four `LABEL_FIELDS`, tags."""


def microseconds(ticket: Ticket) -> int:
    """Creation time as an integer, exact enough that "strictly earlier" means what it says."""
    return int(ticket.created_at.timestamp() * _EPOCH_US)


def fields_of(ticket: Ticket) -> Fields:
    return (
        ticket.external_id,
        ticket.subject,
        ticket.body,
        ticket.created_at.timestamp(),
        ticket.account,
        ticket.product_area,
        ticket.component,
        ticket.priority,
        ticket.tags,
    )


@dataclass
class Reading:
    """What the index keeps of one ticket's text."""

    subject: Counter[str]
    body: Counter[str]
    subject_length: int
    body_length: int
    labels: tuple[str | None, ...]
    tags: tuple[str, ...]


def read(ticket: Ticket, subject_phrases: bool = False) -> Reading:
    """Subject words (and word pairs if asked); body words; labels as `field=value`."""
    subject_words = terms(ticket.subject)
    body_words = terms(plain_frames(ticket.body)) if ticket.body else []
    account, area, component, priority = (
        ticket.account,
        ticket.product_area,
        ticket.component,
        ticket.priority,
    )  # LABEL_FIELDS, read without a getattr each: this runs for every ticket indexed
    labels = (
        f"account={account.strip().lower()}" if account else None,
        f"product_area={area.strip().lower()}" if area else None,
        f"component={component.strip().lower()}" if component else None,
        f"priority={priority.strip().lower()}" if priority else None,
    )
    tags = (
        tuple(sorted({f"tag={t.strip().lower()}" for t in ticket.tags if t.strip()}))
        if ticket.tags
        else ()
    )
    return Reading(
        Counter(subject_words + phrases(subject_words) if subject_phrases else subject_words),
        Counter(body_words),
        len(subject_words),
        len(body_words),
        labels,
        tags,
    )


class _Rows:
    """A growing CSR matrix of counts."""

    def __init__(self) -> None:
        self.indices = array("i")
        self.counts = array("H")
        self.indptr = array("q", [0])

    def append(self, columns: list[int], counts: list[int]) -> None:
        self.indices.extend(columns)
        if counts and max(counts) > 65_535:
            counts = [min(c, 65_535) for c in counts]
        self.counts.extend(counts)
        self.indptr.append(len(self.indices))

    def remapped(self, columns: npt.NDArray[np.int32]) -> _Rows:
        """The same rows with column `c` renamed `columns[c]`; a -1 there leaves it out."""
        indices = columns[np.frombuffer(self.indices, dtype=np.int32)]
        counts = np.frombuffer(self.counts, dtype=np.uint16)
        indptr = np.frombuffer(self.indptr, dtype=np.int64)
        kept = indices >= 0
        if not kept.all():
            row = np.repeat(np.arange(indptr.size - 1), np.diff(indptr))
            per_row = np.bincount(row[kept], minlength=indptr.size - 1)
            indptr = np.concatenate([np.zeros(1, dtype=np.int64), np.cumsum(per_row)])
            indices, counts = indices[kept], counts[kept]
        out = _Rows()
        out.indices = array("i", indices.astype(np.int32).tobytes())
        out.counts = array("H", counts.astype(np.uint16).tobytes())
        out.indptr = array("q", indptr.astype(np.int64).tobytes())
        return out

    def matrix(self, width: int) -> sp.csr_matrix:
        return sp.csr_matrix(
            (
                np.frombuffer(self.counts, dtype=np.uint16).copy(),
                np.frombuffer(self.indices, dtype=np.int32).copy(),
                np.frombuffer(self.indptr, dtype=np.int64).copy(),
            ),
            shape=(len(self.indptr) - 1, width),
        )


@dataclass
class Batch:
    """Readings mapped to vocabulary columns, in arrival order."""

    ids: list[str] = field(default_factory=list)
    created: array[int] = field(default_factory=lambda: array("q"))
    subject_length: array[float] = field(default_factory=lambda: array("f"))
    body_length: array[float] = field(default_factory=lambda: array("f"))
    labels: array[int] = field(default_factory=lambda: array("i"))
    subject: _Rows = field(default_factory=_Rows)
    body: _Rows = field(default_factory=_Rows)
    tags: _Rows = field(default_factory=_Rows)

    def __len__(self) -> int:
        return len(self.ids)

    def append(
        self, ticket: Ticket, reading: Reading, vocabulary: Vocabulary, labels: Vocabulary
    ) -> None:
        self.ids.append(ticket.external_id)
        self.created.append(microseconds(ticket))
        self.subject_length.append(reading.subject_length)
        self.body_length.append(reading.body_length)
        for rows, counts in ((self.subject, reading.subject), (self.body, reading.body)):
            columns = vocabulary.columns(counts)
            if None in columns:  # terms past the vocabulary's cap are not indexed
                pairs = zip(columns, counts.values(), strict=True)
                kept = [(c, n) for c, n in pairs if c is not None]
                rows.append([c for c, _ in kept], [n for _, n in kept])
            else:
                rows.append(columns, list(counts.values()))  # type: ignore[arg-type]
        learn = labels.learn
        self.labels.extend(
            [-1 if label is None or (c := learn(label)) is None else c for label in reading.labels]
        )
        tag_columns = [c for c in map(learn, reading.tags) if c is not None] if reading.tags else []
        self.tags.append(tag_columns, [1] * len(tag_columns))

    def remapped(
        self, terms: npt.NDArray[np.int32], labels: npt.NDArray[np.int32], ids: list[str]
    ) -> Batch:
        """This batch in other columns (`terms[c]`, `labels[c]`; -1: not indexed), under `ids`."""
        codes = np.frombuffer(self.labels, dtype=np.int32)
        renamed = np.where(codes >= 0, labels[np.maximum(codes, 0)] if labels.size else -1, -1)
        return Batch(
            ids,
            self.created,
            self.subject_length,
            self.body_length,
            array("i", renamed.astype(np.int32).tobytes()),
            self.subject.remapped(terms),
            self.body.remapped(terms),
            self.tags.remapped(labels),
        )

    def arrays(
        self,
    ) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32], npt.NDArray[np.float32]]:
        return (
            np.frombuffer(self.created, dtype=np.int64).copy(),
            np.frombuffer(self.subject_length, dtype=np.float32).copy(),
            np.frombuffer(self.body_length, dtype=np.float32).copy(),
        )

    def label_matrix(self) -> npt.NDArray[np.int32]:
        values = np.frombuffer(self.labels, dtype=np.int32).copy()
        return values.reshape(len(self.ids), len(LABEL_FIELDS))


class _Known(dict[str, tuple[int, ...]]):
    """The columns of each ASCII token seen lately (a vocabulary never renumbers a term, so
    they stay right); -1 stands for a term past the vocabulary's cap."""

    def __init__(self, learn: Callable[[str], int | None]) -> None:
        super().__init__()
        self._learn = learn

    def __missing__(self, raw: str) -> tuple[int, ...]:
        learn = self._learn
        found = tuple(-1 if (c := learn(t)) is None else c for t in token_terms(raw))
        if len(self) >= _CACHED:
            self.clear()
        self[raw] = found
        return found


class _Codes(dict[str, int]):
    """The label column of each value of one field (-1: past the cap, which never moves)."""

    def __init__(self, name: str, learn: Callable[[str], int | None]) -> None:
        super().__init__()
        self._name, self._learn = name, learn

    def __missing__(self, value: str) -> int:
        code = self._learn(f"{self._name}={value.strip().lower()}")
        if len(self) >= _CACHED:
            self.clear()
        self[value] = found = -1 if code is None else code
        return found


class Reader:
    """Reads tickets into batches in the columns of one vocabulary, as `read` and
    `Batch.append` do, without a term string or a `Reading` per ticket: each token's columns
    are looked up once, and labels and tag sets once per distinct value."""

    def __init__(self, vocabulary: Vocabulary, labels: Vocabulary, phrases: bool = False):
        self._vocabulary, self._labels, self._phrases = vocabulary, labels, phrases
        self._known = _Known(vocabulary.learn)
        self._label_codes = [_Codes(name, labels.learn) for name in LABEL_FIELDS]
        self._tag_columns: dict[tuple[str, ...], list[int]] = {}

    def append(self, batch: Batch, fields: Fields) -> None:
        key, subject, body, created, *labels, tags = fields
        if self._phrases:
            words = terms(subject)
            counted: Counter[int] = Counter(self._columns(words + phrases(words)))
            subject_length = len(words)
        else:
            found = self._columns_of(subject)
            counted, subject_length = Counter(found), len(found)
        found = self._columns_of(plain_frames(body)) if body else []
        codes = [c[v] if v else -1 for c, v in zip(self._label_codes, labels, strict=True)]
        tag_columns = self._tag_columns.get(tags) if tags else []
        if tag_columns is None:
            tag_columns = self._tags(tags)
        batch.ids.append(key)  # all read: the batch grows by a whole ticket or not at all
        batch.created.append(int(created * _EPOCH_US))
        batch.subject_length.append(subject_length)
        batch.body_length.append(len(found))
        _add_counts(batch.subject, counted)
        _add_counts(batch.body, Counter(found))
        batch.labels.extend(codes)
        batch.tags.append(tag_columns, [1] * len(tag_columns))

    def _columns_of(self, text: str) -> list[int]:
        if text.isascii():
            return list(chain.from_iterable(map(self._known.__getitem__, ascii_tokens(text))))
        return self._columns(terms(text))

    def _columns(self, words: list[str]) -> list[int]:
        learn = self._vocabulary.learn
        return [-1 if (c := learn(w)) is None else c for w in words]

    def _tags(self, tags: tuple[str, ...]) -> list[int]:
        learn = self._labels.learn
        named = sorted({f"tag={t.strip().lower()}" for t in tags if t.strip()})
        columns = [c for c in map(learn, named) if c is not None]
        if len(self._tag_columns) >= _CACHED:
            self._tag_columns.clear()
        self._tag_columns[tags] = columns
        return columns


def _add_counts(rows: _Rows, counted: Counter[int]) -> None:
    counted.pop(-1, None)  # terms past the vocabulary's cap are not indexed
    rows.append(list(counted), list(counted.values()))
