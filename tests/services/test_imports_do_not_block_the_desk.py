"""R-OPS-4: an import never blocks the desk, and nothing of a failed or killed one is seen.

A real writer posts an escalation update while an import is half-way: on an engine that does
not wait for locks at all (SQLite `busy_timeout=0`, PostgreSQL `lock_timeout=1s`), so the
update succeeds only if the import holds no lock it needs. Each test runs on SQLite and, with
ESCDESK_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select

from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput
from escdesk.services import tickets
from escdesk.services.escalation_commands import PostUpdate
from escdesk.similarity.cache import IndexCache
from escdesk.store.database import make_engine
from escdesk.store.tables import TicketImportRow, TicketRow, UpdateRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.ticket_factories import T0, labelled_records, record


@pytest.fixture
def impatient(database_url: str) -> Iterator[SqlUnitOfWork]:
    """A unit of work for a writer that never waits for a lock."""
    engine = make_engine(database_url)

    @event.listens_for(engine, "connect")
    def no_waiting(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if engine.dialect.name == "sqlite":
            cursor.execute("PRAGMA busy_timeout=0")
        else:
            cursor.execute("SET lock_timeout = '1s'")
        cursor.close()

    yield SqlUnitOfWork(engine)
    engine.dispose()


def count(engine: Engine, table: Any) -> int:
    with engine.connect() as connection:
        return connection.execute(select(func.count()).select_from(table)).scalar_one()


class PausedImport:
    """An import in a thread that stops after its first staged batch until told to go on."""

    def __init__(self, engine: Engine, tmp_path: Path, lines: list[str], now: datetime) -> None:
        self.staged, self.resume = threading.Event(), threading.Event()
        self.error: BaseException | None = None
        self.report: tickets.ImportReport | None = None
        path = tmp_path / "tickets.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")

        def pause(done: int, total: int | None) -> None:
            if not self.staged.is_set():
                self.staged.set()
                self.resume.wait(60)

        def run() -> None:
            with path.open("rb") as stream:
                try:
                    self.report = tickets.import_stream(
                        SqlUnitOfWork(engine),
                        IndexCache(tmp_path / "index"),
                        stream,
                        format="jsonl",
                        now=now,
                        progress=pause,
                        batch_size=10,
                    )
                except BaseException as exc:  # the test reads it
                    self.error = exc

        self.thread = threading.Thread(target=run)

    def __enter__(self) -> PausedImport:
        self.thread.start()
        assert self.staged.wait(60), "the import never staged its first batch"
        return self

    def __exit__(self, *args: object) -> None:
        self.resume.set()
        self.thread.join(60)


def post(uow: SqlUnitOfWork, escalation_id: int, body: str, now: datetime) -> int:
    esc = factories.act(uow, PostUpdate(escalation_id, Audience.INTERNAL, body), now=now)
    return int(esc.version)


def lines_of(records: list[dict[str, Any]]) -> list[str]:
    return [json.dumps(r) for r in records]


def test_an_update_posted_while_an_import_runs_succeeds_at_once_and_both_are_kept(
    uow: SqlUnitOfWork, engine: Engine, impatient: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None

    with PausedImport(engine, tmp_path, lines_of(labelled_records()), now) as running:
        assert count(engine, TicketRow) == 0  # half-way: a batch is staged, none is seen
        post(impatient, esc.id, "Posted while tickets import", now)

    assert running.error is None and running.report is not None
    assert running.report.new == 31
    assert count(engine, TicketRow) == 31
    with engine.connect() as connection:
        bodies = connection.scalars(select(UpdateRow.body)).all()
    assert "Posted while tickets import" in bodies


def test_a_failed_import_leaves_nothing_while_the_update_beside_it_stays(
    uow: SqlUnitOfWork, engine: Engine, impatient: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    bad = record("X-1", "Broken date", T0) | {"created_at": "next tuesday"}

    with PausedImport(engine, tmp_path, lines_of([*labelled_records(), bad]), now) as running:
        post(impatient, esc.id, "Posted beside a failing import", now)

    assert isinstance(running.error, InvalidInput)
    assert running.error.field == "line 32: created_at"
    assert count(engine, TicketRow) == 0
    assert count(engine, TicketImportRow) == 0
    assert count(engine, UpdateRow) == 1
    post(impatient, esc.id, "And the desk writes on", now)


def generated_lines(count: int) -> Iterator[bytes]:
    for n in range(count):
        yield (
            f'{{"id": "G-{n}", "subject": "Export times out after {n % 97} minutes", '
            f'"body": "Reported by customer {n % 501}.", "created_at": "2026-09-01T09:00:00Z"}}\n'
        ).encode()


def test_a_killed_import_leaves_nothing_and_the_desk_writes_on(
    database_url: str,
    uow: SqlUnitOfWork,
    engine: Engine,
    impatient: SqlUnitOfWork,
    tmp_path: Path,
    now: datetime,
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    fifo = tmp_path / "export.jsonl"
    os.mkfifo(fifo)
    command = [str(Path(sys.executable).parent / "escdesk"), "tickets", "import", str(fifo)]
    environment = os.environ | {
        "ESCDESK_DATABASE_URL": database_url,
        "ESCDESK_INDEX_DIR": str(tmp_path / "index"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    importing = subprocess.Popen(
        [*command, "--format", "jsonl"],
        env=environment,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        with fifo.open("wb") as pipe:
            # 25,000 tickets: once the writes return, the import has staged two batches of
            # 10,000; it waits for the rest of a file that never ends, and is killed.
            pipe.writelines(generated_lines(25_000))
            pipe.flush()
            assert importing.poll() is None, importing.stderr.read() if importing.stderr else ""
            importing.send_signal(signal.SIGKILL)
            importing.wait(60)
    finally:
        if importing.poll() is None:
            importing.kill()

    assert importing.returncode == -signal.SIGKILL
    assert count(engine, TicketRow) == 0
    assert count(engine, TicketImportRow) == 0
    post(impatient, esc.id, "After the killed import", now)
