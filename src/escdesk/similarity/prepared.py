"""Tickets read into term counts ahead of the index they will join: an import reads its tickets
while it stages them, and the index takes them in one short step after the database committed.

Reading text is most of what indexing costs. Done while the import stages its batches, it needs
neither the index (which keeps answering queries meanwhile) nor a second pass over the tickets
table. Terms and labels get columns of a vocabulary of their own, in the order they are first
met; `batches_for` then learns them into the index's vocabularies in that same order, batch by
batch, so the index ends exactly as if the tickets had been added to it one by one.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Mapping

import numpy as np
import numpy.typing as npt

from escdesk.domain.errors import InvalidInput
from escdesk.domain.ticket import Ticket
from escdesk.services.ticket_views import IndexSignature
from escdesk.similarity.reading import Batch, read
from escdesk.similarity.vocabulary import Vocabulary

BATCH_SIZE = 50_000  # tickets per batch, as the corpus seals them


class Prepared:
    """An import's tickets as term counts; `batches_for` hands them to an index once."""

    def __init__(self, subject_phrases: bool = False) -> None:
        self.subject_phrases = subject_phrases
        self.terms = Vocabulary(sys.maxsize)  # the index's own cap applies when it learns them
        self.labels = Vocabulary(sys.maxsize)
        self._sealed: list[tuple[Batch, int, int]] = []  # and the columns known at its end
        self._batch = Batch()
        self._keys: set[str] = set()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, tickets: Iterable[Ticket]) -> None:
        """Read tickets (a later one with the same key replaces the earlier, as in the index)."""
        for ticket in tickets:
            if not isinstance(ticket, Ticket):
                raise InvalidInput(
                    "tickets", f"holds a {type(ticket).__name__}", "Pass Ticket records only"
                )
            key = ticket.external_id
            if key in self._keys or len(self._batch) >= BATCH_SIZE:
                self._close()  # a key is once per batch: a repeat replaces it in the next
            self._keys.add(key)
            self._batch.append(ticket, read(ticket, self.subject_phrases), self.terms, self.labels)
            self._count += 1

    def _close(self) -> None:
        if len(self._batch):
            self._sealed.append((self._batch, len(self.terms), len(self.labels)))
        self._batch, self._keys = Batch(), set()

    def batches_for(
        self, vocabulary: Vocabulary, labels: Vocabulary, keys: Mapping[str, str]
    ) -> Iterator[Batch]:
        """The batches in the columns of `vocabulary` and `labels`, each learnt just before it
        is yielded (the order an index adding them itself would learn them in); ids become
        `keys[id]` where the database keys a ticket otherwise. Consumes what was read."""
        self._close()
        terms = _Columns(self.terms, vocabulary)
        tags = _Columns(self.labels, labels)
        while self._sealed:
            batch, known_terms, known_labels = self._sealed.pop(0)
            yield batch.remapped(
                terms.up_to(known_terms),
                tags.up_to(known_labels),
                [keys.get(key, key) for key in batch.ids],
            )


class PreparedImport(Prepared):
    """Tickets read ahead of the index, and the table the index was built from meanwhile."""

    def __init__(self, subject_phrases: bool, base: IndexSignature | None) -> None:
        super().__init__(subject_phrases)
        self.base = base


class _Columns:
    """Own column → the index's column (-1 past its cap), learnt in own-column order."""

    def __init__(self, own: Vocabulary, index: Vocabulary) -> None:
        self._own, self._index = own, index
        self._map = np.zeros(0, dtype=np.int32)

    def up_to(self, size: int) -> npt.NDArray[np.int32]:
        if size > self._map.size:
            learn = self._index.learn
            more = [
                -1 if (c := learn(term)) is None else c
                for term in self._own.terms[self._map.size : size]
            ]
            self._map = np.concatenate([self._map, np.array(more, dtype=np.int32)])
        return self._map
