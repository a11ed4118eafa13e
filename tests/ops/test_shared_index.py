"""The similar-tickets index across processes on one PostgreSQL: one process builds and saves it
(`escdesk tickets import`), two `escdesk serve` processes load what it saved and answer alike,
and after a second import by a third process both serve the new ticket, again from its save.

A rebuild from the table and a load of the saved index give the same answers by design, so the
test marks the difference: after the first import it rewrites one ticket's text in the table
behind escdesk's back (the table's signature, count and newest ids, stays the same). A server
that loaded the builder's index still finds that ticket by its old words; one that rebuilt from
the table would not."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine, update

from escdesk.services import auth
from escdesk.store.tables import TicketRow
from escdesk.store.uow import SqlUnitOfWork
from tests.ops.processes import ESCDESK, Server, environment, start_servers
from tests.ticket_factories import T0, jsonl, labelled_records, record

OLD_WORDS = "LDAP sync times out for large groups"
NEW_TICKET = "Kerberos ticket renewal fails on Solaris hosts"


def import_tickets(tmp: Path, database_url: str, file: Path) -> str:
    """Import `file` in a process of its own; the index generation it saved."""
    env = environment(tmp, database_url=database_url, index_dir=str(tmp / "index"))
    importer = subprocess.Popen(
        [ESCDESK, "tickets", "import", str(file), "--format", "jsonl"],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output, _ = importer.communicate(timeout=120)
    assert importer.returncode == 0, output
    generation = live_generation(tmp)
    assert generation.endswith(f"-{importer.pid}"), generation  # saved by this process
    return generation


def live_generation(tmp: Path) -> str:
    (directory,) = (tmp / "index").glob("db-*")
    name: str = json.loads((directory / "CURRENT").read_text(encoding="utf-8"))["generation"]
    return name


def similar(servers: list[Server], token: str, words: str) -> list[list[str]]:
    """Each server's answer: the ids of the tickets it finds like `words`."""
    answers = []
    for server in servers:
        answer = httpx.get(
            f"{server.url}/api/tickets/similar",
            params={"q": words, "k": 5},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )
        assert answer.status_code == 200, answer.text
        answers.append([m["id"] for m in answer.json()["similar"]])
    return answers


def test_two_servers_load_the_index_one_process_built_and_saved(
    database_url: str, engine: Engine, uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several app processes need PostgreSQL (on SQLite run one)")
    first = import_tickets(tmp_path, database_url, jsonl(tmp_path / "a.jsonl", labelled_records()))
    with engine.begin() as connection:  # the mark only the saved index holds (module docstring)
        connection.execute(
            update(TicketRow)
            .where(TicketRow.subject == OLD_WORDS)
            .values(subject="Printer toner is empty", body="Please send a new toner cartridge.")
        )
    token, _ = auth.create_token(uow, "index robot", "support", now)
    servers = start_servers(tmp_path, database_url, 2, index_dir=str(tmp_path / "index"))
    try:
        before = similar(servers, token, OLD_WORDS)
        assert before[0] == before[1] and before[0][0] == "L-1", before
        assert live_generation(tmp_path) == first  # neither server saved an index of its own
        extra = [record("K-1", NEW_TICKET, T0, body="kinit renew fails with a clock skew error")]
        second = import_tickets(tmp_path, database_url, jsonl(tmp_path / "b.jsonl", extra))
        assert second != first
        after = similar(servers, token, NEW_TICKET)
        assert after[0] == after[1] and after[0][0] == "K-1", after
        assert similar(servers, token, OLD_WORDS) == before  # still the builder's index
        assert live_generation(tmp_path) == second
    finally:
        statuses = [server.stop() for server in servers]
    assert statuses == [0, 0], "\n".join(server.output() for server in servers)
