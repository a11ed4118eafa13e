"""An import's tickets, staged beside the desk's tables and published in one statement.

Both databases load each batch into a temporary table with their bulk path and upsert from it
with one `INSERT … SELECT … ON CONFLICT (source, external_id) DO UPDATE`, so an import is
idempotent by source and helpdesk id and nothing of it is seen before it commits:

- PostgreSQL: each batch is COPYed (psycopg 3 `cursor.copy`) into a temporary table dropped at
  commit, and upserted from it at once. The import is one transaction; readers and writers of
  the desk never wait for it (MVCC), and a failed or killed import leaves nothing.
- SQLite: a database has one writer at a time, and a transaction that writes `tickets` holds
  that lock until it commits — a long import used to make every update posted meanwhile wait
  and fail. Here batches go into a TEMP table, which lives in the connection's own temporary
  file and takes no lock on the database; only `publish` writes the database, in one short
  transaction at the end (a few seconds per million tickets). A failed import rolls back, a
  killed one takes its temporary file with it: the database never sees either.

For SQLite to take its write lock cleanly, nothing may read the database in the import's
transaction before `publish`, whose first statement is a write: a read would pin a snapshot
that a writer committing meanwhile makes stale, and the publish would then fail at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select, update
from sqlalchemy.orm import Session

from escdesk.domain.ticket import Ticket
from escdesk.services.recurring_ports import Published
from escdesk.store.tables import TicketImportRow, TicketRow

STAGED = "escdesk_staged_tickets"
COLUMNS = (
    "source",
    "external_id",
    "subject",
    "body",
    "account",
    "product_area",
    "component",
    "priority",
    "status",
    "created_at",
    "solved_at",
    "tags",
    "first_contact",
    "satisfied",
)
_NAMES = ", ".join(COLUMNS)
_UPDATES = ", ".join(f"{name} = excluded.{name}" for name in (*COLUMNS[2:], "import_id"))


def staging_for(
    session: Session, source: str, format: str, file_name: str, now: datetime
) -> SqliteStaging | PostgresStaging:
    """The staging of one import, for the database the session is on."""
    run = _ImportRun(source, format, file_name, now)
    if session.get_bind().dialect.name == "postgresql":
        return PostgresStaging(session, run)
    return SqliteStaging(session, run)


class _ImportRun:
    """The `ticket_imports` row of this run, written when the database is first written."""

    def __init__(self, source: str, format: str, file_name: str, now: datetime) -> None:
        self.source, self.format, self.file_name, self.now = source, format, file_name, now

    def insert(self, session: Session) -> int:
        row = TicketImportRow(
            source=self.source,
            format=self.format,
            file_name=self.file_name[:500],
            started_at=self.now,
            written=0,
            skipped=0,
        )
        session.add(row)
        session.flush()
        return row.id

    @staticmethod
    def finish(session: Session, import_id: int, written: int, skipped: int) -> None:
        session.execute(
            update(TicketImportRow)
            .where(TicketImportRow.id == import_id)
            .values(written=written, skipped=skipped)
        )


def _row_maker(session: Session) -> Callable[[Ticket], tuple[Any, ...]]:
    """A ticket as a staged row, its dates and tags stored exactly as the ORM stores them:
    PostgreSQL takes aware datetimes; SQLite keeps UTC as `2024-01-31 09:00:00.000000` text,
    which is what SQLAlchemy writes (a test holds the two to the same text)."""
    tags_json = _TagsJson()
    stamp: Callable[[datetime], Any] = _sqlite_stamp
    if session.get_bind().dialect.name == "postgresql":
        stamp = _as_is

    def row(t: Ticket) -> tuple[Any, ...]:
        solved = t.solved_at
        return (
            t.source,
            t.external_id,
            t.subject,
            t.body,
            t.account,
            t.product_area,
            t.component,
            t.priority,
            t.status,
            stamp(t.created_at),
            None if solved is None else stamp(solved),
            tags_json[t.tags],
            t.first_contact,
            t.satisfied,
        )

    return row


class _TagsJson(dict[tuple[str, ...], str]):
    """Tags as the JSON text stored, made once per distinct set: tickets share a few sets."""

    def __missing__(self, tags: tuple[str, ...]) -> str:
        if len(self) >= 10_000:
            self.clear()
        self[tags] = text = json.dumps(list(tags))
        return text


def _sqlite_stamp(moment: datetime) -> str:
    if moment.tzinfo is not UTC:
        moment = moment.astimezone(UTC)
    return moment.isoformat(" ", "microseconds")[:26]


def _as_is(moment: datetime) -> datetime:
    return moment


class SqliteStaging:
    """Batches in a TEMP table (no lock on the database); one upsert when published."""

    def __init__(self, session: Session, run: _ImportRun) -> None:
        self._session = session
        self._run = run
        self._row = _row_maker(session)
        connection = self._connection()
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{STAGED}")  # a failed run's
        connection.exec_driver_sql(
            f"CREATE TEMP TABLE {STAGED} (source TEXT, external_id TEXT, subject TEXT, "
            "body TEXT, account TEXT, product_area TEXT, component TEXT, priority TEXT, "
            "status TEXT, created_at TEXT, solved_at TEXT, tags TEXT, first_contact INTEGER, "
            "satisfied INTEGER)"
        )
        self._insert = f"INSERT INTO temp.{STAGED} VALUES ({', '.join('?' * len(COLUMNS))})"

    def _connection(self) -> Connection:
        return self._session.connection()

    def add(self, tickets: Sequence[Ticket]) -> None:
        if tickets:
            row = self._row
            self._connection().exec_driver_sql(self._insert, [row(t) for t in tickets])

    def publish(self, skipped: int) -> Published:
        session = self._session
        import_id = self._run.insert(session)  # the first write: takes the database's lock
        before = session.scalar(select(func.max(TicketRow.id))) or 0
        connection = self._connection()
        # In file order, so a repeated id (allowed repeats) ends as its last record says.
        connection.exec_driver_sql(
            f"INSERT INTO tickets ({_NAMES}, import_id) "
            f"SELECT {_NAMES}, ? FROM temp.{STAGED} WHERE true ORDER BY rowid "
            f"ON CONFLICT (source, external_id) DO UPDATE SET {_UPDATES}",
            (import_id,),
        )
        written, new = connection.exec_driver_sql(
            "SELECT count(*), coalesce(sum(id > ?), 0) FROM tickets WHERE import_id = ?",
            (before, import_id),
        ).one()
        connection.exec_driver_sql(f"DROP TABLE temp.{STAGED}")
        self._run.finish(session, import_id, written, skipped)
        return Published(import_id, new, written - new)


class PostgresStaging:
    """Each batch COPYed into a temporary table and upserted from it in one statement."""

    def __init__(self, session: Session, run: _ImportRun) -> None:
        self._session = session
        self._run = run
        self._row = _row_maker(session)
        self._import_id = run.insert(session)
        self._new = self._written = 0
        self._connection().exec_driver_sql(
            f"CREATE TEMP TABLE {STAGED} (source text, external_id text, subject text, "
            "body text, account text, product_area text, component text, priority text, "
            "status text, created_at timestamptz, solved_at timestamptz, tags jsonb, "
            "first_contact boolean, satisfied boolean) "
            "ON COMMIT DROP"
        )
        self._upsert = (
            f"WITH written AS (INSERT INTO tickets ({_NAMES}, import_id) "
            f"SELECT {_NAMES}, %s FROM {STAGED} "
            f"ON CONFLICT (source, external_id) DO UPDATE SET {_UPDATES} "
            "RETURNING (xmax = 0) AS inserted) "
            "SELECT count(*), count(*) FILTER (WHERE inserted) FROM written"
        )

    def _connection(self) -> Connection:
        return self._session.connection()

    def add(self, tickets: Sequence[Ticket]) -> None:
        """One batch; its ids must be unique (a repeat would be updated twice in one statement)."""
        if not tickets:
            return
        driver = self._connection().connection.driver_connection
        assert driver is not None
        row = self._row
        with driver.cursor() as cursor:
            with cursor.copy(f"COPY {STAGED} ({_NAMES}) FROM STDIN") as copy:
                for ticket in tickets:
                    copy.write_row(row(ticket))
            cursor.execute(self._upsert, (self._import_id,))
            written, new = cursor.fetchone()
            cursor.execute(f"TRUNCATE {STAGED}")
        self._written += written
        self._new += new

    def publish(self, skipped: int) -> Published:
        """Every batch is in `tickets` already, unseen until the caller commits."""
        # A ticket repeated in a later batch was counted twice; the table knows how many it is.
        written = self._session.scalar(
            select(func.count(TicketRow.id)).where(TicketRow.import_id == self._import_id)
        )
        written = written or 0
        new = min(self._new, written)
        self._run.finish(self._session, self._import_id, written, skipped)
        return Published(self._import_id, new, written - new)
