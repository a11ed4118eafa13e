"""Imported helpdesk tickets in the store (R-REC-1): staged imports, keys, streams for the index.

Imports are staged and published by `ticket_staging` (COPY on PostgreSQL, a TEMP table on
SQLite, one upsert from it) — the database is told apart there, so nothing above the
repository knows which one it runs on.

A ticket's key is how the similarity index and the command line name it: its helpdesk id, or
`source:id` when another source stored that id first (the lower row id wins, so a key never
changes once given).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import Row, func, select, tuple_
from sqlalchemy.orm import Session

from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.domain.ticket import Ticket
from escdesk.services.recurring_ports import TicketStaging
from escdesk.services.ticket_views import IndexSignature, StoredTicket
from escdesk.store.tables import TicketImportRow, TicketRow
from escdesk.store.ticket_staging import staging_for

TicketColumns: TypeAlias = "Row[*tuple[Any, ...]]"
"""A row of `_COLUMNS`, whatever its width."""

STREAM_BATCH = 5_000
LOOKUP_CHUNK = 900  # ids per IN (…): well inside every SQLite build's variable limit
_COLUMNS = (
    TicketRow.id,
    TicketRow.source,
    TicketRow.external_id,
    TicketRow.subject,
    TicketRow.body,
    TicketRow.account,
    TicketRow.product_area,
    TicketRow.component,
    TicketRow.priority,
    TicketRow.status,
    TicketRow.created_at,
    TicketRow.solved_at,
    TicketRow.tags,
    TicketRow.first_contact,
    TicketRow.satisfied,
)


def _chunks(items: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _ticket(row: TicketColumns) -> Ticket:
    return Ticket(
        source=row.source,
        external_id=row.external_id,
        subject=row.subject,
        created_at=row.created_at,
        body=row.body,
        account=row.account,
        product_area=row.product_area,
        component=row.component,
        priority=row.priority,
        status=row.status,
        solved_at=row.solved_at,
        tags=tuple(row.tags or ()),
        first_contact=row.first_contact,
        satisfied=row.satisfied,
    )


class TicketRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._sources: set[str] | None = None

    # ------------------------------------------------------------------ writing
    def stage(self, source: str, format: str, file_name: str, now: datetime) -> TicketStaging:
        """Where one import's tickets go until it is published (see `ticket_staging`)."""
        self._sources = None
        staging: TicketStaging = staging_for(self.session, source, format, file_name, now)
        return staging

    def _shared_sources(self) -> set[str]:
        """Sources whose ids may clash with another's: all of them once there are two. Read
        from the few import runs, not the million tickets, once per unit of work."""
        if self._sources is None:
            self._sources = set(self.session.scalars(select(TicketImportRow.source).distinct()))
        return self._sources if len(self._sources) > 1 else set()

    def stream(self, after_import: int = 0) -> Iterator[list[StoredTicket]]:
        """Every ticket last written by an import after `after_import`, by row id, in batches
        (keyset pagination: memory stays flat at a million tickets)."""
        last = 0
        while True:
            rows = self.session.execute(
                select(*_COLUMNS)
                .where(TicketRow.id > last, TicketRow.import_id > after_import)
                .order_by(TicketRow.id)
                .limit(STREAM_BATCH)
            ).all()
            if not rows:
                return
            last = rows[-1].id
            yield self._with_keys(rows)

    def written_by(self, import_id: int) -> tuple[dict[str, int], dict[str, str]]:
        """The row id of each ticket an import wrote, by key, and the keys that are not the
        helpdesk id (`source:id`), by helpdesk id: what the index needs to take the tickets it
        read while they were imported, without reading them again."""
        written = select(TicketRow.external_id, TicketRow.id).where(
            TicketRow.import_id == import_id
        )
        rows: dict[str, int] = dict(iter(self.session.execute(written)))
        if not self._shared_sources():
            return rows, {}
        source = self.session.scalar(
            select(TicketImportRow.source).where(TicketImportRow.id == import_id)
        )
        first = self._first_owners(list(rows))
        keys = {
            external_id: _key(row_id, source or "", external_id, first)
            for external_id, row_id in rows.items()
        }
        renamed = {external_id: key for external_id, key in keys.items() if key != external_id}
        return {keys[external_id]: row_id for external_id, row_id in rows.items()}, renamed

    def imports_after(self, import_id: int) -> list[int]:
        """Ids of the committed imports newer than `import_id` that wrote tickets, oldest
        first."""
        return list(
            self.session.scalars(
                select(TicketImportRow.id)
                .where(TicketImportRow.id > import_id, TicketImportRow.written > 0)
                .order_by(TicketImportRow.id)
            )
        )

    def signature(self, *, with_count: bool = True) -> IndexSignature:
        """Count, newest row and newest import: the index compares these with its own. The
        maxima are index lookups; the count scans, so hot paths may leave it out."""
        # Two statements: SQLite answers a lone max() from the index, but scans for a pair.
        max_id = self.session.scalar(select(func.max(TicketRow.id)))
        max_import = self.session.scalar(select(func.max(TicketRow.import_id)))
        count = self.session.scalar(select(func.count(TicketRow.id))) if with_count else -1
        return IndexSignature(count or 0, max_id or 0, max_import or 0)

    def resolve(self, keys: Iterable[str]) -> dict[str, StoredTicket]:
        """Tickets by what a person typed: a helpdesk id, or `source:id` where ids clash."""
        wanted = list(dict.fromkeys(k.strip() for k in keys))
        rows: dict[str, list[TicketColumns]] = {}
        for chunk in _chunks(wanted):
            for row in self.session.execute(
                select(*_COLUMNS).where(TicketRow.external_id.in_(chunk))
            ):
                rows.setdefault(row.external_id, []).append(row)
        qualified = [k for k in wanted if k not in rows and ":" in k]
        pairs = [tuple(k.split(":", 1)) for k in qualified]
        for chunk in _chunks(pairs):
            for row in self.session.execute(
                select(*_COLUMNS).where(tuple_(TicketRow.source, TicketRow.external_id).in_(chunk))
            ):
                rows.setdefault(f"{row.source}:{row.external_id}", []).append(row)
        found: dict[str, StoredTicket] = {}
        for key in wanted:
            matches = rows.get(key)
            if not matches:
                raise NotFound("ticket", key)
            if len(matches) > 1:
                sources = sorted(r.source for r in matches)
                raise InvalidInput(
                    "id",
                    f"{key!r} is a ticket of {len(matches)} sources ({', '.join(sources)})",
                    f"Name one as source:id, e.g. {sources[0]}:{key}",
                )
            found[key] = self._with_keys(matches)[0]
        return found

    def by_ids(self, ids: Iterable[int]) -> dict[int, StoredTicket]:
        wanted = sorted(set(ids))
        rows: list[TicketColumns] = []
        for chunk in _chunks(wanted):
            rows += self.session.execute(select(*_COLUMNS).where(TicketRow.id.in_(chunk))).all()
        return {t.id: t for t in self._with_keys(rows)}

    def by_keys(self, keys: Iterable[str]) -> dict[str, StoredTicket]:
        """Tickets by index key; keys that name nothing (a stale index) are left out."""
        wanted = list(dict.fromkeys(keys))
        rows: list[TicketColumns] = []
        for chunk in _chunks(wanted):
            rows += self.session.execute(
                select(*_COLUMNS).where(TicketRow.external_id.in_(chunk))
            ).all()
        pairs = [tuple(k.split(":", 1)) for k in wanted if ":" in k]
        for chunk in _chunks(pairs):
            rows += self.session.execute(
                select(*_COLUMNS).where(tuple_(TicketRow.source, TicketRow.external_id).in_(chunk))
            ).all()
        keyed = {t.key: t for t in self._with_keys(rows)}
        return {k: keyed[k] for k in wanted if k in keyed}

    def page(self, *, limit: int, offset: int, account: str | None = None) -> list[StoredTicket]:
        """Newest first."""
        query = select(*_COLUMNS).order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
        if account:
            query = query.where(func.lower(TicketRow.account) == account.strip().lower())
        rows = self.session.execute(query.limit(limit).offset(offset)).all()
        return self._with_keys(rows)

    def count(self, account: str | None = None) -> int:
        query = select(func.count(TicketRow.id))
        if account:
            query = query.where(func.lower(TicketRow.account) == account.strip().lower())
        return self.session.scalar(query) or 0

    def _first_owners(self, external_ids: Sequence[str]) -> dict[str, int]:
        """For ids that more than one source uses: the lowest row id holding each."""
        first: dict[str, int] = {}
        for chunk in _chunks(list(set(external_ids))):
            first.update(
                self.session.execute(
                    select(TicketRow.external_id, func.min(TicketRow.id))
                    .where(TicketRow.external_id.in_(chunk))
                    .group_by(TicketRow.external_id)
                    .having(func.count(TicketRow.id) > 1)
                ).all()
            )
        return first

    def _with_keys(self, rows: Sequence[TicketColumns]) -> list[StoredTicket]:
        # One source cannot clash with itself: no need to look for earlier owners of its ids.
        first = (
            self._first_owners([row.external_id for row in rows]) if self._shared_sources() else {}
        )
        return [
            StoredTicket(row.id, _key(row.id, row.source, row.external_id, first), _ticket(row))
            for row in rows
        ]


def _key(row_id: int, source: str, external_id: str, first: dict[str, int]) -> str:
    """The bare id, unless an earlier row of another source holds it: then `source:id`."""
    owner = first.get(external_id)
    return external_id if owner is None or owner == row_id else f"{source}:{external_id}"
