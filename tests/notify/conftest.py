"""Local peers for the transports: a Slack Web API server, an SMTP server, webhook receivers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from escdesk.domain.accounts import CustomerContact
from escdesk.notify.slack import SlackTransport
from escdesk.notify.slack_api import SlackApi
from escdesk.notify.smtp import Mailer, SmtpServer
from escdesk.services import contacts
from escdesk.services.acting import DatabaseAdministrator
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import add_account
from tests.notify import smtp_server
from tests.notify.slack_server import BOT_TOKEN, USER_TOKEN, SlackServer
from tests.notify.smtp_server import MailSink


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


@pytest.fixture
def smtp() -> Iterator[tuple[Controller, MailSink]]:
    controller, sink = smtp_server.start()
    yield controller, sink
    controller.stop()


def mailer(controller: Controller | None, store: NotifyStore, url: str | None = None) -> Mailer:
    if url is None:
        assert controller is not None
        url = f"smtp://{controller.hostname}:{controller.port}"
    return Mailer(SmtpServer.from_url(url), "escdesk <desk@escdesk.example>", store)


def customer_contact(uow: SqlUnitOfWork, now: datetime, **overrides: str) -> CustomerContact:
    """A contact of a fresh account, added the way the CLI adds one."""
    account = add_account(uow, now=now)
    values = {"name": "Jo Chen", "email": "jo@acme.example", "language": "en", **overrides}
    return contacts.add_contact_now(
        uow, contacts.AddContact(account.name, **values), DatabaseAdministrator(), now
    )
