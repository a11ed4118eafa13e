"""The app with its Slack face: a signing secret, the bot token of a local Slack Web API, an
escalation whose channel the Slack transport remembered, and people Slack knows by e-mail."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.domain.escalation import Escalation
from escdesk.domain.people import Person
from escdesk.http.deps import get_now
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.chat.response_server import ResponseUrl
from tests.chat.slack_client import SIGNING_SECRET
from tests.factories import add_person, open_escalation
from tests.notify.slack_server import BOT_TOKEN, BOT_USER, Channel, SlackServer

CHANNEL = "CESC0001"


@pytest.fixture
def slack() -> Iterator[SlackServer]:
    server = SlackServer().start()
    yield server
    server.stop()


@pytest.fixture
def app(
    database_url: str, engine: Engine, now: datetime, tmp_path: Path, slack: SlackServer
) -> Iterator[FastAPI]:
    settings = Settings(
        database_url=database_url,
        index_dir=tmp_path / "index",
        slack_signing_secret=SIGNING_SECRET,
        slack_bot_token=BOT_TOKEN,
        slack_api_url=slack.url,
    )
    app = create_app(settings, engine)
    app.dependency_overrides[get_now] = lambda: now
    yield app
    app.state.chat.answering.close()


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@dataclass(frozen=True)
class Room:
    """An escalation, its channel, and its DRI as Slack knows them."""

    escalation: Escalation
    dri: Person
    dri_user: str


@pytest.fixture
def room(uow: SqlUnitOfWork, engine: Engine, now: datetime, slack: SlackServer) -> Room:
    dri = add_person(uow, "support", now=now, name="Dana Reyes")
    esc = open_escalation(uow, now=now, by=dri.email)
    assert esc.id is not None
    NotifyStore(engine).remember(esc.id, CHANNEL, "esc_acme")
    slack.workspace.channels[CHANNEL] = Channel(CHANNEL, "esc_acme", BOT_USER, {BOT_USER})
    return Room(esc, dri, slack.workspace.add_user(dri.email, dri.name))


def slack_person(uow: SqlUnitOfWork, slack: SlackServer, now: datetime, *roles: str) -> str:
    """A person of escdesk with `roles`, known to Slack by the same e-mail: their user id."""
    person = add_person(uow, *roles, now=now)
    return slack.workspace.add_user(person.email, person.name)


@pytest.fixture
def response_url() -> Iterator[ResponseUrl]:
    server = ResponseUrl().start()
    yield server
    server.stop()
