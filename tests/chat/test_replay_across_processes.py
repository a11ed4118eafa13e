"""A replayed Slack request is refused whichever process of `escdesk serve` receives it: the
signatures heard are kept in the database the processes share, not in each one's memory."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.store.database import make_engine
from escdesk.store.slack_request_repository import HeardSlackRequests
from escdesk.store.tables import HeardSlackRequestRow
from tests.chat.conftest import CHANNEL
from tests.chat.slack_client import SIGNING_SECRET, command_body, signature


@pytest.fixture
def other_process(database_url: str, tmp_path: Path) -> Iterator[TestClient]:
    """A second app with its own engine on the same database: another worker process."""
    engine = make_engine(database_url)
    settings = Settings(
        database_url=database_url,
        index_dir=tmp_path / "other-index",
        slack_signing_secret=SIGNING_SECRET,
    )
    app = create_app(settings, engine)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client
    app.state.chat.answering.close()
    engine.dispose()


def signed(body: bytes, stamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": signature(body, str(stamp)),
    }


def test_a_request_replayed_to_the_other_process_is_refused(
    client: TestClient, other_process: TestClient
) -> None:
    body = command_body("help", "U1", CHANNEL)
    headers = signed(body, int(time.time()))
    assert client.post("/slack/commands", content=body, headers=headers).status_code == 200
    replay = other_process.post("/slack/commands", content=body, headers=headers)
    assert replay.status_code == 401 and "heard already" in replay.text
    again = client.post("/slack/commands", content=body, headers=headers)
    assert again.status_code == 401


def test_a_fresh_request_is_heard_by_either_process(
    client: TestClient, other_process: TestClient
) -> None:
    stamp = int(time.time())
    first, second = command_body("help", "U1", CHANNEL), command_body("help", "U2", CHANNEL)
    assert client.post("/slack/commands", content=first, headers=signed(first, stamp)).is_success
    answer = other_process.post("/slack/commands", content=second, headers=signed(second, stamp))
    assert answer.is_success


def test_signatures_past_the_window_are_forgotten(engine: Engine, now: datetime) -> None:
    heard = HeardSlackRequests(engine, clock=lambda: now)
    stamp = int(now.timestamp())
    assert heard.first_hearing("v0=old", stamp - 200, stamp - 300)
    assert not heard.first_hearing("v0=old", stamp - 200, stamp - 300)
    # four minutes later the old one is out of the window: the next hearing purges it
    assert heard.first_hearing("v0=new", stamp + 240, stamp + 240 - 300)
    with engine.connect() as connection:
        left = connection.scalars(select(HeardSlackRequestRow.signature)).all()
    assert left == ["v0=new"]
