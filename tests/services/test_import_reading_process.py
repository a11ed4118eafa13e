"""A big import reads its tickets for the index in a process of its own (R-REC-1, R-REC-2): the
index ends as if this process had read them, a failed import stops that process, and a process
that dies only costs the index a catch-up from the table.

Every test runs on SQLite and, with ESCDESK_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.services import tickets
from escdesk.similarity import prepared
from escdesk.similarity.cache import IndexCache
from escdesk.store.ticket_repository import TicketRepository
from escdesk.store.uow import SqlUnitOfWork
from tests.ticket_factories import T0, jsonl, labelled_records, record


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every reading process the imports start; any first batch of 4 or more starts one."""
    processes: list[subprocess.Popen[bytes]] = []
    real = prepared._start

    def start(subject_phrases: bool) -> subprocess.Popen[bytes] | None:
        process = real(subject_phrases)
        assert process is not None
        processes.append(process)
        return process

    monkeypatch.setattr(prepared, "BACKGROUND_FROM", 4)
    monkeypatch.setattr(prepared, "_start", start)
    return processes


Ranked = list[list[tuple[str, float]]]


def _ranked(uow: SqlUnitOfWork, index: IndexCache, keys: list[str]) -> Ranked:
    found = tickets.similar_tickets(uow, index, keys, k=10, details=False)
    return [[(m.key, round(m.score, 6)) for m in result.matches] for result in found]


def _rebuilt(uow: SqlUnitOfWork) -> IndexCache:
    rebuilt = IndexCache(None)
    with uow:
        rebuilt.rebuild(uow.tickets)
    return rebuilt


def test_tickets_read_in_their_own_process_index_as_if_read_here(
    uow: SqlUnitOfWork,
    tmp_path: Path,
    now: datetime,
    monkeypatch: pytest.MonkeyPatch,
    started: list[subprocess.Popen[bytes]],
) -> None:
    records = labelled_records()
    index = IndexCache(tmp_path / "index")
    tickets.import_file(uow, index, jsonl(tmp_path / "a.jsonl", records[:12]), format="jsonl",
                        now=now)  # fmt: skip
    changed = [r | {"subject": f"{r['subject']} again"} for r in records[8:]]  # 4 re-imported
    with monkeypatch.context() as patched:
        patched.setattr(TicketRepository, "stream", lambda *_: pytest.fail("read back"))
        with jsonl(tmp_path / "b.jsonl", changed).open("rb") as stream:
            report = tickets.import_stream(
                uow, index, stream, format="jsonl", now=now, batch_size=5
            )

    assert len(started) == 2 and all(p.returncode == 0 for p in started)  # ended when done
    assert (report.new, report.updated) == (19, 4)
    keys = [r["id"] for r in records]
    assert len(index.index or ()) == 31 and index.rebuilds == 1
    assert _ranked(uow, index, keys) == _ranked(uow, _rebuilt(uow), keys)
    assert IndexCache(tmp_path / "index").rebuilds == 0  # and saved


def test_a_small_import_reads_in_this_process(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime, started: list[subprocess.Popen[bytes]]
) -> None:
    index = IndexCache(tmp_path / "index")
    tickets.import_file(uow, index, jsonl(tmp_path / "a.jsonl", labelled_records()[:3]),
                        format="jsonl", now=now)  # fmt: skip
    assert started == [] and len(index.index or ()) == 3


def test_a_failed_import_stops_its_reading_process(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime, started: list[subprocess.Popen[bytes]]
) -> None:
    index = IndexCache(tmp_path / "index")
    bad = record("X-1", "Broken date", T0) | {"created_at": "last tuesday"}
    failing = jsonl(tmp_path / "b.jsonl", labelled_records() + [bad])  # after 7 batches

    with pytest.raises(InvalidInput), failing.open("rb") as stream:
        tickets.import_stream(uow, index, stream, format="jsonl", now=now, batch_size=4)

    assert len(started) == 1 and started[0].returncode is not None
    assert tickets.update_index(uow, index) == 0


def test_a_reading_process_that_dies_leaves_the_index_to_catch_up_from_the_table(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime, started: list[subprocess.Popen[bytes]]
) -> None:
    records = labelled_records()
    index = IndexCache(tmp_path / "index")
    dies = {"done": False}

    def kill_the_reader(done: int, total: int | None) -> None:
        if started and not dies["done"]:
            started[0].kill()
            started[0].wait()
            dies["done"] = True

    with jsonl(tmp_path / "a.jsonl", records).open("rb") as stream:
        report = tickets.import_stream(
            uow, index, stream, format="jsonl", now=now, batch_size=4, progress=kill_the_reader
        )

    assert dies["done"] and report.new == 31
    keys = [r["id"] for r in records]
    assert len(index.index or ()) == 31
    assert _ranked(uow, index, keys) == _ranked(uow, _rebuilt(uow), keys)
