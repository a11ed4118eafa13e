"""The whole desk as one portable archive: a backup that any escdesk store can restore.

An archive is a zip file: `manifest.json` (format, the schema revision, the row count of each
table) and one JSON Lines file per table, each row an object of its columns. It does not depend
on the database that wrote it, so it also moves a team from the embedded SQLite to PostgreSQL:
back up from one, restore into the other. Restoring needs an empty database at the same schema
revision, writes every table in one transaction (a failed restore leaves the database empty),
then moves PostgreSQL's id sequences past the restored ids. The similar-tickets index is not in
the archive: it is rebuilt from the tickets table.
"""

from __future__ import annotations

import base64
import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Engine, Table, func, select, text
from sqlalchemy.types import Date, DateTime, LargeBinary, Numeric, Time, TypeDecorator

from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.store.migrate import current_revision
from escdesk.store.tables import Base

FORMAT = "escdesk-archive"
VERSION = 1
CHUNK = 2000
SKIPPED = {"alembic_version"}

Progress = Callable[[str, int], None]
"""Told each table's name and how many of its rows are done."""


@dataclass(frozen=True)
class ArchiveSummary:
    revision: str
    rows: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def tables() -> list[Table]:
    """Every table escdesk maps, parents before children (the order a restore inserts)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in SKIPPED]


# ---------------------------------------------------------------------- writing
def back_up(engine: Engine, target: Path, progress: Progress = lambda *_: None) -> ArchiveSummary:
    """Write the archive of everything `engine` holds to `target` (a new file)."""
    if target.exists():
        raise InvalidInput("path", f"{target} already exists", "Name a new file")
    if not target.parent.is_dir():
        raise InvalidInput("path", f"{target.parent} is not a folder", "Create it first")
    revision = current_revision(engine)
    if revision is None:
        raise StateRefused("the database has no escdesk schema; there is nothing to back up")
    rows: dict[str, int] = {}
    partial = target.with_name(target.name + ".partial")
    try:
        # One read transaction: the archive is the desk at one moment, while escdesk runs.
        with (
            engine.connect() as connection,
            zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive,
        ):
            for table in tables():
                count = 0
                with archive.open(f"tables/{table.name}.jsonl", "w") as out:
                    query = select(table).order_by(*table.primary_key.columns)
                    for row in connection.execution_options(yield_per=CHUNK).execute(query):
                        values = {c.name: _encode(row._mapping[c.name]) for c in table.columns}
                        out.write(json.dumps(values, ensure_ascii=False).encode() + b"\n")
                        count += 1
                        if count % CHUNK == 0:
                            progress(table.name, count)
                rows[table.name] = count
                progress(table.name, count)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "revision": revision,
                "created_at": datetime.now(UTC).isoformat(),
                "rows": rows,
            }
            archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    return ArchiveSummary(revision, rows)


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, Decimal):
        return str(value)
    return value


# ---------------------------------------------------------------------- reading
def read_manifest(source: Path) -> dict[str, Any]:
    try:
        with zipfile.ZipFile(source) as archive:
            manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except FileNotFoundError:
        raise InvalidInput("path", f"{source} does not exist", "Name an archive file") from None
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError):
        raise InvalidInput(
            "path", f"{source} is not an escdesk archive", "Name a file `escdesk backup` wrote"
        ) from None
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise InvalidInput(
            "path", f"{source} is not an escdesk archive of version {VERSION}", "Name a file "
            "`escdesk backup` wrote"
        )  # fmt: skip
    return manifest


def restore(engine: Engine, source: Path, progress: Progress = lambda *_: None) -> ArchiveSummary:
    """Load the archive at `source` into the empty database behind `engine`."""
    manifest = read_manifest(source)
    revision = current_revision(engine)
    if revision != manifest["revision"]:
        raise StateRefused(
            f"the archive is at schema revision {manifest['revision']}, the database at "
            f"{revision or 'none (empty)'}: run `escdesk db upgrade` on an empty database with "
            "the escdesk version that wrote the archive, restore, then upgrade"
        )
    with engine.connect() as connection:
        occupied = [t.name for t in tables() if connection.scalar(_count(t))]
    if occupied:
        raise StateRefused(
            f"the database already holds data ({', '.join(occupied[:5])}"
            f"{'…' if len(occupied) > 5 else ''}); restore into an empty one"
        )
    rows: dict[str, int] = {}
    with zipfile.ZipFile(source) as archive, engine.begin() as connection:
        for table in tables():
            name = f"tables/{table.name}.jsonl"
            if name not in archive.namelist():
                rows[table.name] = 0
                continue
            decode = _decoder(table)
            count = 0
            for chunk in _chunks(archive, name, decode):
                connection.execute(table.insert(), chunk)
                count += len(chunk)
                progress(table.name, count)
            rows[table.name] = count
        damaged = sorted(t for t, n in manifest["rows"].items() if rows.get(t) != int(n))
        if damaged:  # raised inside the transaction: nothing of the archive stays
            raise StateRefused(
                f"the archive's rows do not match its manifest ({', '.join(damaged)}); it is "
                "damaged, and nothing was restored"
            )
        if connection.dialect.name == "postgresql":
            _move_sequences(connection)
    return ArchiveSummary(manifest["revision"], rows)


def _count(table: Table) -> Any:
    return select(func.count()).select_from(table)


def _chunks(
    archive: zipfile.ZipFile, name: str, decode: Callable[[dict[str, Any]], dict[str, Any]]
) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    with archive.open(name) as lines:
        for line in lines:
            chunk.append(decode(json.loads(line)))
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def _decoder(table: Table) -> Callable[[dict[str, Any]], dict[str, Any]]:
    readers = {c.name: _reader(c) for c in table.columns}

    def decode(values: dict[str, Any]) -> dict[str, Any]:
        return {
            name: (None if value is None else readers[name](value))
            for name, value in values.items()
            if name in readers
        }

    return decode


def _reader(column: Column[Any]) -> Callable[[Any], Any]:
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime):
        return datetime.fromisoformat
    if isinstance(kind, Date):
        return date.fromisoformat
    if isinstance(kind, Time):
        return time.fromisoformat
    if isinstance(kind, LargeBinary):
        return base64.b64decode
    if isinstance(kind, Numeric) and kind.asdecimal:
        return Decimal
    return lambda value: value  # JSON, text, numbers and booleans are JSON already


def _move_sequences(connection: Any) -> None:
    """Ids were restored as they were; new rows must be numbered after them."""
    for table in tables():
        for column in table.primary_key.columns:
            sequence = connection.scalar(
                text("SELECT pg_get_serial_sequence(:table, :column)"),
                {"table": table.name, "column": column.name},
            )
            if sequence is None:
                continue
            connection.execute(
                text(
                    f"SELECT setval(:sequence, COALESCE((SELECT max({column.name}) FROM "
                    f'"{table.name}"), 0) + 1, false)'
                ),
                {"sequence": sequence},
            )
