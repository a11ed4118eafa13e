"""Local peers for the transports: a Slack Web API server, an SMTP server, webhook receivers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import Engine

from escdesk.notify.slack import SlackTransport
from escdesk.notify.slack_api import SlackApi
from escdesk.store.notify_repository import NotifyStore
from tests.notify.slack_server import BOT_TOKEN, USER_TOKEN, SlackServer


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    server = SlackServer().start()
    yield server
    server.stop()


@pytest.fixture
def store(engine: Engine, now: datetime) -> NotifyStore:
    return NotifyStore(engine, clock=lambda: now)


def slack_transport(
    server: SlackServer, store: NotifyStore, *, user_token: bool = False
) -> SlackTransport:
    user = SlackApi(USER_TOKEN, server.url, "ESCDESK_SLACK_USER_TOKEN") if user_token else None
    return SlackTransport(SlackApi(BOT_TOKEN, server.url), store, store, user=user)
