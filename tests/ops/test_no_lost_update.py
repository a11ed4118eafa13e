"""Two `escdesk serve` processes on one PostgreSQL, writers racing on one escalation: no update
is lost. In each round every writer reads the same version, then all post at once, half to each
server; exactly one wins, the others get a 409 naming the version it left, none a 5xx, and
every accepted update is in the final state and the audit trail exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.ops.processes import Server, start_servers

WRITERS = 4  # two per server
ROUNDS = 12


def write(
    writer: int, servers: list[Server], path: str, token: str, barrier: threading.Barrier
) -> list[dict[str, Any]]:
    """Each round: wait for everyone, read the version, wait again, post with it; a writer
    changes server every round, and in each round half the writers post to each."""
    outcomes = []
    headers = {"Authorization": f"Bearer {token}"}
    clients = [httpx.Client(base_url=s.url, headers=headers, timeout=30) for s in servers]
    try:
        for round_ in range(ROUNDS):
            client = clients[(writer + round_) % len(clients)]
            barrier.wait()
            seen = client.get(path).json()["version"]
            barrier.wait()  # the read-then-write window, opened by every writer together
            body = f"writer {writer} round {round_}"
            answer = client.post(
                f"{path}/updates", json={"audience": "internal", "body": body, "version": seen}
            )
            problem = answer.json() if answer.status_code != 200 else {}
            outcomes.append(
                {
                    "round": round_,
                    "seen": seen,
                    "body": body,
                    "status": answer.status_code,
                    "version": answer.json().get("version") if answer.status_code == 200 else None,
                    "current_version": problem.get("current_version"),
                }
            )
    finally:
        for client in clients:
            client.close()
    return outcomes


def test_writers_racing_through_two_servers_on_postgresql_lose_no_update(
    database_url: str, uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("several app processes need PostgreSQL (on SQLite run one)")
    esc = factories.open_escalation(uow, now=now)
    token, _ = auth.create_token(uow, "race robot", "manager", now)
    path = f"/api/escalations/{esc.id}"
    servers = start_servers(tmp_path, database_url, 2)
    try:
        with httpx.Client(base_url=servers[0].url, timeout=30) as reader:
            initial = reader.get(path, headers={"Authorization": f"Bearer {token}"}).json()
        barrier = threading.Barrier(WRITERS, timeout=60)
        results: list[list[dict[str, Any]]] = [[] for _ in range(WRITERS)]

        def run(n: int) -> None:
            results[n] = write(n, servers, path, token, barrier)

        threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert not any(t.is_alive() for t in threads), "a writer hung"
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=servers[1].url, headers=headers, timeout=30) as reader:
            final = reader.get(path).json()
            trail = reader.get(f"{path}/history").json()["items"]
    finally:
        statuses = [server.stop() for server in servers]
    outputs = "\n".join(server.output() for server in servers)
    assert statuses == [0, 0], outputs
    outcomes = [o for writer in results for o in writer]
    assert len(outcomes) == WRITERS * ROUNDS, outputs
    assert not [o for o in outcomes if o["status"] >= 500], outputs
    accepted = [o for o in outcomes if o["status"] == 200]
    refused = [o for o in outcomes if o["status"] != 200]
    assert len(accepted) + len(refused) == WRITERS * ROUNDS
    assert {o["status"] for o in refused} <= {409}, refused
    for round_ in range(ROUNDS):
        this = [o for o in outcomes if o["round"] == round_]
        assert len({o["seen"] for o in this}) == 1, this  # the race is real: one version read
        winners = [o for o in this if o["status"] == 200]
        assert len(winners) == 1, this  # exactly one write per version, on either server
        assert winners[0]["version"] == winners[0]["seen"] + 1
        for loser in this:
            if loser["status"] == 409:  # the conflict names the version the winner left
                assert loser["current_version"] == loser["seen"] + 1, loser
    assert final["version"] == initial["version"] + len(accepted)
    bodies = Counter(u["body"] for u in final["updates"])
    assert bodies == Counter(o["body"] for o in accepted)  # each accepted update once, none else
    posted = Counter(e["data"].get("body") for e in trail if e["type"] == "update_posted")
    assert posted == bodies, trail
