"""R-TRI-4: the requester's notice of a decision reaches their mailbox through the outbox and
the worker, in words they can pass on; against a real aiosmtpd server."""

from __future__ import annotations

import random
from datetime import datetime

from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from escdesk.notify.email import EmailTransport
from escdesk.notify.worker import Worker
from escdesk.services import triage
from escdesk.services.request_commands import DecideRequest
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import act, add_person
from tests.notify.conftest import mailer
from tests.notify.smtp_server import MailSink
from tests.notify.test_worker import Clock
from tests.request_factories import file_request


def test_the_requester_receives_the_decision_by_e_mail(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, smtp: tuple[Controller, MailSink]
) -> None:
    controller, sink = smtp
    engineer = add_person(uow, "support", now=now, email="sam@escdesk.example")
    manager = add_person(uow, "manager", now=now)
    request = file_request(uow, now=now, by=engineer.email)
    cmd = DecideRequest.parse(
        request_id=request.id,
        outcome="scheduled",
        rationale="The export rewrite in 2027.1 fixes it",
        release="2027.1",
    )
    act(uow, cmd, now=now, by=manager.email, handler=triage.decide_request)
    store = NotifyStore(engine, clock=Clock(now))
    worker = Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[EmailTransport(mailer(controller, store), store)],
        clock=Clock(now),
        rng=random.Random(1),
    )
    worker.run_once()
    [received] = sink.received
    assert received.recipients == ["sam@escdesk.example"]
    mail = received.message
    assert mail["Subject"].startswith(f"Your escalation request REQ-{request.id}")
    body = mail.get_content()
    assert "planned for release 2027.1" in body
    assert "Why: The export rewrite in 2027.1 fixes it" in body
    assert "When you will hear again" in body
