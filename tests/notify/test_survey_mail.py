"""The survey e-mail at closing (R-SLA-4), end to end: the close handler queues it, the worker
delivers it to a real aiosmtpd server with a full link, and the link opens the survey."""

from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from escdesk.notify.email import EmailTransport
from escdesk.notify.transports import Transports
from escdesk.notify.worker import Worker
from escdesk.services import surveys
from escdesk.services.escalation_commands import (
    CloseEscalation,
    SetCustomerSummary,
    agreement_from,
)
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import WAIVED, act, open_escalation
from tests.notify.conftest import customer_contact, mailer
from tests.notify.smtp_server import MailSink


def test_the_survey_arrives_with_a_link_that_opens_this_escalations_survey(
    smtp: tuple[Controller, MailSink],
    store: NotifyStore,
    engine: Engine,
    uow: SqlUnitOfWork,
    now: datetime,
) -> None:
    controller, sink = smtp
    jo = customer_contact(uow, now, language="de")
    esc = open_escalation(uow, now=now, account=str(jo.account_id), summary="Internal words")
    assert esc.id is not None
    act(uow, SetCustomerSummary(esc.id, "Pipelines stall"), now=now)
    closed = now + timedelta(days=1)
    act(
        uow,
        CloseEscalation(esc.id, agreement_from("Jo, CTO", closed, "email"), waivers=WAIVED),
        now=closed,
    )
    transports = Transports(
        [EmailTransport(mailer(controller, store), store)], "https://desk.example/"
    )
    worker = Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[transports],
        clock=lambda: closed + timedelta(minutes=1),
        rng=random.Random(1),
    )
    worker.run_once()
    [mail] = [
        r.message
        for r in sink.received
        if "Zufrieden" in str(r.message["Subject"]) or "zufrieden" in str(r.message["Subject"])
    ]
    assert mail["To"] == "Jo Chen <jo@acme.example>"
    plain = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    match = re.search(r"https://desk\.example/survey/([\w-]+)", plain)
    assert match, plain
    assert "Pipelines stall" in str(mail["Subject"])
    assert "Internal words" not in plain + str(mail["Subject"])  # never the internal summary
    link = surveys.survey_link(uow, match.group(1))
    assert (link.customer, link.summary, link.state(closed)) == (
        esc.customer,
        "Pipelines stall",
        "open",
    )
