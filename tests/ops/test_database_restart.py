"""R-OPS: PostgreSQL restarted under escdesk. While it is down the API answers 503 with a clear
problem and the worker keeps running; once it is back both recover with no manual step, and
the worker delivers what was queued before the restart. The server is the test's own (initdb
in a temporary directory), so the shared one is undisturbed."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from escdesk.asgi import create_app
from escdesk.bootstrap import bootstrap
from escdesk.config import Settings
from escdesk.services import auth
from escdesk.store.database import DatabaseLimits, make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.notify.slack_server import BOT_TOKEN, SlackServer
from tests.ops.own_postgres import missing_reason, own_postgres
from tests.ops.processes import wait_for

REASON = missing_reason()
pytestmark = pytest.mark.skipif(REASON is not None, reason=REASON or "")


def test_a_postgresql_restart_is_a_503_while_down_and_heals_by_itself(
    tmp_path: Path, now: datetime
) -> None:
    slack = SlackServer().start()
    slack.workspace.add_channel("escalated_customers")  # the shared channel the team made
    with own_postgres() as pg:
        engine = make_engine(pg.url, DatabaseLimits(connect_timeout=2, pool_timeout=2))
        upgrade(engine)
        uow = SqlUnitOfWork(engine)
        esc = factories.open_escalation(uow, now=now)
        token, _ = auth.create_token(uow, "operations", "manager", now)
        settings = Settings(
            database_url=pg.url,
            index_dir=tmp_path / "index",
            db_connect_timeout=2,
            unavailable_retry_after=3,
            slack_bot_token=BOT_TOKEN,
            slack_api_url=slack.url,
        )
        worker = bootstrap(settings, engine=engine).worker()
        show = f"/api/escalations/{esc.id}"
        headers = {"Authorization": f"Bearer {token}"}
        with TestClient(create_app(settings, engine), raise_server_exceptions=False) as client:
            assert client.get(show, headers=headers).status_code == 200

            pg.stop()
            down = client.get(show, headers=headers)
            assert down.status_code == 503 and down.headers["retry-after"] == "3"
            assert "unavailable" in down.json()["detail"]
            running = threading.Thread(target=worker.run, name="worker under test")
            running.start()  # the worker, running, waits the outage out
            time.sleep(1.5)
            assert running.is_alive()

            pg.start()
            wait_for(
                lambda: client.get(show, headers=headers).status_code == 200,
                20,
                "the API to answer again after the restart",
            )
            body = {"body": "Back after the database restart", "audience": "internal"}
            posted = client.post(f"{show}/updates", headers=headers, json=body)
            assert posted.status_code in (200, 201), posted.text

        def all_delivered() -> bool:
            with engine.connect() as connection:
                waiting = select(func.count()).select_from(OutboxRow)
                return connection.scalar(waiting.where(OutboxRow.state != "delivered")) == 0

        wait_for(all_delivered, 60, "the worker to deliver what was queued around the restart")
        worker.stopping.set()
        running.join(timeout=30)
        assert not running.is_alive()
        texts = [m.text for c in slack.workspace.channels.values() for m in c.messages]
        assert any("Back after the database restart" in text for text in texts)
        engine.dispose()
    slack.stop()
