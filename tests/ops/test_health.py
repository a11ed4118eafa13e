"""`/healthz` says the process is alive without the database; `/readyz` says whether it should
get traffic: the database answers, the schema is current, a delivery worker is alive."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from escdesk.config import Settings
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.ops_repository import beat, forget_worker, latest_beat
from tests.ops.conftest import app_on
from tests.store.test_ops_migration import before_ops


def test_alive_and_ready_once_a_worker_has_beaten_recently(
    client: TestClient, engine: Engine, now: datetime
) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    beat(engine, "w1", now - timedelta(hours=1), now - timedelta(seconds=10))
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "ready"
    assert {name: c["ok"] for name, c in body["checks"].items()} == {
        "database": True,
        "migrations": True,
        "worker": True,
    }


def test_not_ready_without_any_worker_and_says_what_to_start(client: TestClient) -> None:
    answer = client.get("/readyz")
    assert answer.status_code == 503
    worker = answer.json()["checks"]["worker"]
    assert worker["ok"] is False and "escdesk worker" in worker["detail"]


def test_not_ready_when_the_last_heartbeat_is_too_old(
    client: TestClient, engine: Engine, now: datetime
) -> None:
    beat(engine, "w1", now - timedelta(hours=1), now - timedelta(seconds=121))
    answer = client.get("/readyz")
    assert answer.status_code == 503
    assert "no worker heartbeat for 121 s" in answer.json()["checks"]["worker"]["detail"]


def test_a_worker_that_stops_cleanly_takes_its_heartbeat_away(
    engine: Engine, now: datetime
) -> None:
    beat(engine, "w1", now, now)
    beat(engine, "w1", now, now + timedelta(seconds=5))  # the second beat updates the row
    assert latest_beat(engine) == now + timedelta(seconds=5)
    forget_worker(engine, "w1")
    assert latest_beat(engine) is None


def test_the_worker_check_can_be_turned_off(
    database_url: str, engine: Engine, now: datetime, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, index_dir=tmp_path, ready_worker_seconds=0)
    with TestClient(app_on(settings, engine, now)) as client:
        assert client.get("/readyz").status_code == 200


def test_not_ready_while_a_migration_is_pending(tmp_path: Path, now: datetime) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    engine = make_engine(url)
    upgrade(engine, before_ops())
    settings = Settings(database_url=url, index_dir=tmp_path, ready_worker_seconds=0)
    with TestClient(app_on(settings, engine, now)) as client:
        answer = client.get("/readyz")
    engine.dispose()
    assert answer.status_code == 503
    migrations = answer.json()["checks"]["migrations"]
    assert migrations["ok"] is False
    assert f"at revision {before_ops()}" in migrations["detail"]
    assert "escdesk db upgrade" in migrations["detail"]


def test_alive_but_not_ready_while_the_database_is_unreachable(
    tmp_path: Path, now: datetime
) -> None:
    url = "postgresql+psycopg://escdesk@127.0.0.1:9/escdesk"  # the discard port: refused
    settings = Settings(database_url=url, index_dir=tmp_path, db_connect_timeout=2)
    with TestClient(app_on(settings, None, now), raise_server_exceptions=False) as client:
        assert client.get("/healthz").status_code == 200
        answer = client.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"]["ok"] is False and "did not answer" in checks["database"]["detail"]
    assert "127.0.0.1" not in answer.text  # the address goes to the log, not to the probe
