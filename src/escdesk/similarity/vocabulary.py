"""Terms ↔ column numbers, and how many tickets hold each term (document frequency).

An append-only vocabulary, not feature hashing: a term keeps its column for life, so new tickets
are added without touching old rows, and a column can always be shown as the word it stands for
(the shared terms of R-REC-2 are read back from here). `max_terms` bounds memory on huge or
messy imports; terms first seen after the cap are not indexed.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

DEFAULT_MAX_TERMS = 8_000_000


class Vocabulary:
    """Column ids for terms and their document frequencies; grows as tickets are added."""

    def __init__(self, max_terms: int = DEFAULT_MAX_TERMS) -> None:
        self.max_terms = max_terms
        self.terms: list[str] = []
        self._ids: dict[str, int] = {}
        self._df = np.zeros(1024, dtype=np.int32)

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def df(self) -> npt.NDArray[np.int32]:
        """Tickets holding each term (a view: do not keep it across adds)."""
        self._grow(len(self.terms))  # labels learn terms without counting documents
        return self._df[: len(self.terms)]

    def id_of(self, term: str) -> int | None:
        return self._ids.get(term)

    def learn(self, term: str) -> int | None:
        """The column of a term, assigning the next one if it is new (None past the cap)."""
        column = self._ids.get(term)
        if column is None and len(self.terms) < self.max_terms:
            column = len(self.terms)
            self._ids[term] = column
            self.terms.append(term)
        return column

    def columns(self, terms: Iterable[str]) -> list[int | None]:
        """`learn` of each term, in order (new terms take their columns in that order)."""
        ids = self._ids
        try:
            return list(map(ids.__getitem__, terms))  # nearly always: every term is known
        except KeyError:
            return list(map(self.learn, terms))

    def count_documents(self, columns: npt.NDArray[np.int32]) -> None:
        """Add one to the document frequency of each column (one entry per ticket and term)."""
        self._grow(len(self.terms))
        if columns.size:
            self._df[: len(self.terms)] += np.bincount(columns, minlength=len(self.terms)).astype(
                np.int32
            )

    def forget_documents(self, columns: npt.NDArray[np.int32]) -> None:
        """Undo `count_documents` for a ticket that was replaced by a newer import of itself."""
        np.subtract.at(self._df, columns, 1)

    def _grow(self, size: int) -> None:
        if size > self._df.size:
            grown = np.zeros(max(size, 2 * self._df.size), dtype=np.int32)
            grown[: self._df.size] = self._df
            self._df = grown

    @classmethod
    def restore(cls, terms: Iterable[str], df: npt.NDArray[np.int32], max_terms: int) -> Vocabulary:
        vocabulary = cls(max_terms)
        vocabulary.terms = list(terms)
        vocabulary._ids = {term: i for i, term in enumerate(vocabulary.terms)}
        vocabulary._grow(len(vocabulary.terms))
        vocabulary._df[: df.size] = df
        return vocabulary
