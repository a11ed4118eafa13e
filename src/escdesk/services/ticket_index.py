"""The similar-tickets index of one database, kept on disk and in step with the tickets table.

The database is the source of truth (R-REC-2); the index is a cache of it. Beside the index
files this keeps the signature of the tickets table it was built from (count, newest row id,
newest import) and, for each index row, the ticket's row id. On use, the signature is compared
with the table's: equal means current; newer imports are caught up by adding only the tickets
they wrote (an add replaces a ticket's earlier version); anything else — a missing, unreadable
or foreign index, fewer tickets than it remembers — rebuilds it from the table.

An import adds its tickets while it writes them, and the index is saved only after the
database committed: a failed import discards the in-memory additions, so the saved index never
holds a ticket the database does not.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from escdesk.domain.errors import EscdeskError
from escdesk.recurring import SimilarityIndex
from escdesk.services.recurring_ports import TicketRepository
from escdesk.services.ticket_views import IndexSignature, StoredTicket

BUILT_FROM = "escdesk-built-from.json"
TICKET_ROWS = "escdesk-ticket-ids.npy"


def index_path(index_dir: Path | None, database_url: str) -> Path:
    """Where a database's index lives: `<index_dir>/db-<hash of the URL>`, so two databases
    never share or clobber one. Without `index_dir`: `index/` beside a SQLite database file,
    else in the user data directory. The hash leaves out the password, which must not decide
    where files go."""
    from platformdirs import user_data_dir
    from sqlalchemy.engine import make_url

    try:
        url = make_url(database_url)
        shown = url.render_as_string(hide_password=True)
        sqlite_file = url.get_backend_name() == "sqlite" and url.database not in (
            None,
            "",
            ":memory:",
        )
    except Exception:  # an unparsable URL fails at the engine; the hash just has to be stable
        shown, sqlite_file = database_url, False
    if index_dir is None:
        if sqlite_file:
            index_dir = Path(str(url.database)).expanduser().resolve().parent / "index"
        else:
            index_dir = Path(user_data_dir("escdesk")) / "index"
    digest = hashlib.sha256(shown.encode()).hexdigest()[:16]
    return Path(index_dir).expanduser() / f"db-{digest}"


class TicketIndex:
    """The index of one database; thread-safe, so one instance can serve a web application."""

    def __init__(self, directory: Path | None, *, rerank: bool = True) -> None:
        self.directory = directory
        self.rerank = rerank
        self.index: SimilarityIndex | None = None
        self.row_ticket: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)
        self.built_from: IndexSignature | None = None
        self.rebuilds = 0
        self._lock = threading.RLock()

    @contextmanager
    def using(self, tickets: TicketRepository) -> Iterator[SimilarityIndex]:
        """The current index, held exclusively while the caller reads or extends it."""
        with self._lock:
            yield self._current(tickets)

    def _current(self, tickets: TicketRepository) -> SimilarityIndex:
        table = tickets.signature(with_count=False)
        if self.index is None:
            self._load()
            if self.built_from is not None and self.built_from.count != tickets.count():
                self._forget()
        built = self.built_from
        if self.index is not None and built is not None:
            if (built.max_id, built.max_import_id) == (table.max_id, table.max_import_id):
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
        size = len(self.index.ids)
        if self.row_ticket.size < size:
            grown = np.full(max(size, 2 * self.row_ticket.size), -1, dtype=np.int64)
            grown[: self.row_ticket.size] = self.row_ticket
            self.row_ticket = grown
        rows = self.index.rows
        for s in stored:
            self.row_ticket[rows[s.key]] = s.id

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
        return self.row_ticket[: len(self.index.ids)]

    def save(self) -> None:
        if self.directory is None or self.index is None or self.built_from is None:
            return
        if not len(self.index):
            return  # nothing worth a file; an empty table rebuilds instantly
        self.index.save(self.directory)
        np.save(self.directory / TICKET_ROWS, self.ticket_ids())
        fresh = self.directory / f".{BUILT_FROM}.{os.getpid()}"
        fresh.write_text(json.dumps(asdict(self.built_from)), encoding="utf-8")
        os.replace(fresh, self.directory / BUILT_FROM)

    def _load(self) -> None:
        if self.directory is None or not (self.directory / BUILT_FROM).is_file():
            return
        try:
            built = IndexSignature(**json.loads((self.directory / BUILT_FROM).read_text("utf-8")))
            index = SimilarityIndex.load(self.directory)
            rows = np.load(self.directory / TICKET_ROWS, allow_pickle=False)
        except (EscdeskError, OSError, ValueError, TypeError):
            return  # unreadable: rebuilt from the table, which is the truth
        if rows.size != len(index.ids):
            return
        self.index, self.row_ticket, self.built_from = index, rows.astype(np.int64), built

    def _forget(self) -> None:
        self.index, self.built_from = None, None
        self.row_ticket = np.zeros(0, dtype=np.int64)
