"""The similar-tickets index of one database, kept on disk and in step with the tickets table:
the engine's implementation of `escdesk.services.ticket_index.TicketIndex`.

The database is the source of truth (R-REC-2); the index is a cache of it. Each saved index
carries the signature of the tickets table it was built from (count, newest row id, newest
import) and, for each index row, the ticket's row id. On use, the signature is compared with the
table's: equal means current; a newer index saved by another process is loaded; newer imports
are caught up by adding only the tickets they wrote (an add replaces a ticket's earlier
version); anything else — a missing, unreadable or foreign index, fewer tickets than it
remembers — rebuilds it from the table.

An import adds its tickets while it writes them, and the index is saved only after the database
committed: a failed import discards the in-memory additions, so the saved index never holds a
ticket the database does not. Saves are serialised between processes and never replace an index
built from a newer table (`storage`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from escdesk.domain.errors import EscdeskError
from escdesk.domain.ticket import Ticket
from escdesk.services.recurring_ports import ClusterState, TicketRepository
from escdesk.services.ticket_index import PreparedTickets
from escdesk.services.ticket_views import IndexSignature, StoredTicket
from escdesk.similarity import storage
from escdesk.similarity.explain import shared_words
from escdesk.similarity.grouping import Grouping, rows_of_tickets
from escdesk.similarity.index import SimilarityIndex, TeamRanking
from escdesk.similarity.labels import label_for
from escdesk.similarity.location import index_directory
from escdesk.similarity.prepared import PreparedImport, ReadingLost
from escdesk.similarity.search import Match
from escdesk.similarity.segments import Bm25f

TICKET_ROWS = "ticket_rows"


class LiveTickets(TeamRanking):
    """The index of a database while a caller holds it: what `LiveIndex` promises."""

    def __init__(self, cache: IndexCache) -> None:
        assert cache.index is not None
        self.index = cache.index
        self._cache = cache

    def __len__(self) -> int:
        return len(self.index)

    def similar(self, query: Ticket | str, k: int = 10, earlier_only: bool = False) -> list[Match]:
        return self.index.similar(query, k=k, earlier_only=earlier_only)

    def group(self, clustered: ClusterState) -> Grouping:
        return Grouping(
            self.index.corpus,
            self._cache.ticket_ids(),
            clustered.ticket_ids,
            clustered.cluster_ids,
            model=self.index.reranker if self._cache.grouping == "reranked" else None,
        )

    def label(self, ticket_ids: Sequence[int], sample: Sequence[Ticket]) -> str | None:
        rows = rows_of_tickets(self._cache.ticket_ids(), ticket_ids)
        return label_for(self.index.corpus, rows, list(sample))

    def explain(self, terms: Sequence[str], query: Ticket, match: Ticket) -> tuple[str, ...]:
        return shared_words(terms, query, match)


class IndexCache:
    """The index of one database; thread-safe, so one instance can serve a web application."""

    def __init__(self, directory: Path | None, *, rerank: bool = True, grouping: str = "cosine"):
        self.directory = directory
        self.rerank = rerank
        self.grouping = grouping  # how tickets join recurring issues: "cosine" or "reranked"
        self.index: SimilarityIndex | None = None
        self.row_ticket: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.built_from: IndexSignature | None = None
        self.rebuilds = 0
        self._lock = threading.RLock()

    @contextmanager
    def using(self, tickets: TicketRepository) -> Iterator[LiveTickets]:
        """The current index, held exclusively while the caller reads or extends it."""
        with self._lock:
            self._current(tickets)
            yield LiveTickets(self)

    def _current(self, tickets: TicketRepository) -> SimilarityIndex:
        table = tickets.signature(with_count=False)
        if self.index is None:
            self._load()
            if self.built_from is not None and self.built_from.count != tickets.count():
                self._forget()
        elif not _same_table(self.built_from, table) and _same_table(self._saved(), table):
            self._load()  # another process caught up and saved: cheaper to read than to redo
        built = self.built_from
        if self.index is not None and built is not None:
            if _same_table(built, table):
                return self.index
            if table.max_import_id > built.max_import_id and table.max_id >= built.max_id:
                for batch in tickets.stream(after_import=built.max_import_id):
                    self.add(batch)
                self.built_from = tickets.signature()
                self.save()
                return self.index
        self._rebuild(tickets)
        assert self.index is not None
        return self.index

    def rebuild(self, tickets: TicketRepository) -> int:
        """Build the index again from the table, whatever its state; returns its size."""
        with self._lock:
            self._rebuild(tickets)
            assert self.index is not None
            return len(self.index)

    def _rebuild(self, tickets: TicketRepository) -> None:
        self.index = SimilarityIndex(rerank=self.rerank)
        self.row_ticket = np.zeros(0, dtype=np.int64)
        for batch in tickets.stream():
            self.add(batch)
        self.built_from = tickets.signature()
        self.rebuilds += 1
        self.save()

    def add(self, stored: list[StoredTicket]) -> None:
        """Index tickets under their keys (call inside `using`); searchable at once."""
        assert self.index is not None, "add() runs inside using()"
        if not stored:
            return
        self.index.add(
            s.ticket if s.key == s.ticket.external_id else replace(s.ticket, external_id=s.key)
            for s in stored
        )
        self._grow_rows()
        for s in stored:
            row = self.index.corpus.row_of(s.key)
            assert row is not None
            self.row_ticket[row] = s.id

    def _grow_rows(self) -> None:
        assert self.index is not None
        size = self.index.corpus.rows
        if self.row_ticket.size < size:
            grown = np.full(max(size, 2 * self.row_ticket.size), -1, dtype=np.int64)
            grown[: self.row_ticket.size] = self.row_ticket
            self.row_ticket = grown

    def prepare(self) -> PreparedImport:
        """Somewhere to read an import's tickets into while it runs (see `prepared`)."""
        with self._lock:
            index = self.index
            phrases = (index.corpus.bm25f if index else Bm25f()).subject_phrases
            return PreparedImport(phrases, self.built_from)

    def adopt(self, prepared: PreparedTickets, tickets: TicketRepository, import_id: int) -> int:
        """After the import committed: its tickets join the index in one step, when the index
        is as `prepare` found it and that import is the only one since; else the index catches
        up with the table as on any use."""
        assert isinstance(prepared, PreparedImport)
        with self._lock:
            base, index = prepared.base, self.index
            if (
                index is None
                or base is None
                or prepared.lost
                or self.built_from != base
                or index.corpus.bm25f.subject_phrases != prepared.subject_phrases
                or tickets.imports_after(base.max_import_id) != [import_id]
            ):
                prepared.close()
                return len(self._current(tickets))
            try:
                return self._adopt(index, prepared, tickets, import_id)
            except ReadingLost:
                self._forget()  # what was read is gone: the table has it all
                return len(self._current(tickets))
            except BaseException:
                self._forget()  # half taken: read again from disk and the table on next use
                raise
            finally:
                prepared.close()

    def _adopt(
        self,
        index: SimilarityIndex,
        prepared: PreparedImport,
        tickets: TicketRepository,
        import_id: int,
    ) -> int:
        row_ids, keys = tickets.written_by(import_id)
        corpus = index.corpus
        start = corpus.rows
        corpus.adopt(prepared.batches_for(corpus.vocabulary, corpus.labels, keys))
        self._grow_rows()
        if any(corpus.row_of(key) is None for key in row_ids):
            self._rebuild(tickets)  # the table holds what was not read: build it again
            return len(self._current(tickets))
        self.row_ticket[start : corpus.rows] = [row_ids.get(k, -1) for k in corpus.ids[start:]]
        self.built_from = tickets.signature()
        self.save()
        return len(index)

    def committed(self, signature: IndexSignature) -> None:
        """The database committed what was added: remember its signature and save."""
        with self._lock:
            self.built_from = signature
            self.save()

    def discard(self) -> None:
        """The database rolled back: forget in-memory additions (reloaded from disk on use)."""
        with self._lock:
            self._forget()

    def ticket_ids(self) -> npt.NDArray[np.int64]:
        """Ticket row id of each index row (-1 where none)."""
        assert self.index is not None
        return self.row_ticket[: self.index.corpus.rows]

    def save(self) -> None:
        """Write the index unless the directory already holds one of this table or a newer one
        (another worker saved first)."""
        if self.directory is None or self.index is None or self.built_from is None:
            return
        if not len(self.index):
            return  # nothing worth a file; an empty table rebuilds instantly
        mine = self.built_from

        def newer_on_disk(live: dict[str, Any]) -> bool:
            theirs = _signature(live.get("built_from"))
            return theirs is not None and (
                theirs == mine or theirs.max_import_id > mine.max_import_id
            )

        storage.save(
            self.index.corpus,
            self.directory,
            meta={"built_from": asdict(mine), "rerank": self.index.reranker is not None},
            arrays={TICKET_ROWS: self.ticket_ids()},
            unless=newer_on_disk,
        )

    def _saved(self) -> IndexSignature | None:
        if self.directory is None:
            return None
        meta = storage.current_meta(self.directory)
        return _signature(meta.get("built_from")) if meta else None

    def _load(self) -> None:
        if self.directory is None:
            return
        try:
            saved = storage.load(self.directory, arrays=(TICKET_ROWS,))
        except EscdeskError:
            return  # missing or unreadable: rebuilt from the table, which is the truth
        built = _signature(saved.meta.get("built_from"))
        rows = saved.arrays[TICKET_ROWS]
        if built is None or rows.size != saved.corpus.rows:
            return
        index = SimilarityIndex(rerank=self.rerank, corpus=saved.corpus)
        self.index, self.row_ticket, self.built_from = index, rows.astype(np.int64), built

    def _forget(self) -> None:
        self.index, self.built_from = None, None
        self.row_ticket = np.zeros(0, dtype=np.int64)


def open_index(index_dir: Path | None, database_url: str, grouping: str = "cosine") -> IndexCache:
    """The index of the database at `database_url` (the CLI and the web app call this)."""
    return IndexCache(index_directory(index_dir, database_url), grouping=grouping)


def _same_table(built: IndexSignature | None, table: IndexSignature | None) -> bool:
    return (
        built is not None
        and table is not None
        and (built.max_id, built.max_import_id) == (table.max_id, table.max_import_id)
    )


def _signature(value: object) -> IndexSignature | None:
    if not isinstance(value, dict):
        return None
    try:
        return IndexSignature(**value)
    except TypeError:
        return None
