"""E-mail to customers: plain and HTML, in their language, one thread per escalation, and
never an internal note (R-OPS-2). Against a real aiosmtpd server."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine

from escdesk.domain.clock import Audience
from escdesk.notify.email import EmailTransport
from escdesk.notify.transport import DeliveryError, OutboundMessage
from escdesk.notify.worker import Worker
from escdesk.services import contacts
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import act, open_escalation
from tests.notify.builders import message
from tests.notify.conftest import customer_contact, mailer
from tests.notify.smtp_server import MailSink


def update(escalation_id: int, to: str = "jo@acme.example", **payload: str) -> OutboundMessage:
    values = {
        "audience": "customer",
        "customer": "Acme Corp",
        "summary": "Pipelines stall",
        "body": "We reproduced the stall.\n\nA fix is in testing.",
        "by": "Cara Diaz",
        "contact_name": "Jo Chen",
        "language": "en",
        "status_url": "https://desk.example/status/abc",
        **payload,
    }
    return message("email.customer_update", to, escalation_id, **values)


@pytest.fixture
def escalation_ids(uow: SqlUnitOfWork, now: datetime) -> tuple[int, int]:
    first, second = open_escalation(uow, now=now), open_escalation(uow, now=now)
    assert first.id is not None and second.id is not None
    return first.id, second.id


def test_a_customer_update_arrives_with_plain_and_html_parts_in_the_contacts_language(
    smtp: tuple[Controller, MailSink], store: NotifyStore, escalation_ids: tuple[int, int]
) -> None:
    controller, sink = smtp
    transport = EmailTransport(mailer(controller, store), store)
    receipt = transport.deliver(update(escalation_ids[0], language="de-AT")).data
    [received] = sink.received
    mail = received.message
    assert received.recipients == ["jo@acme.example"]
    assert mail["Message-ID"] == receipt["message_id"]
    subject = f"Neuigkeiten zu Ihrer Eskalation ESC-{escalation_ids[0]}: Pipelines stall"
    assert mail["Subject"] == subject
    assert mail["Content-Language"] == "de"
    plain = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    rich = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Guten Tag Jo Chen," in plain and "A fix is in testing." in plain
    assert (
        "<p>A fix is in testing.</p>" in rich and 'href="https://desk.example/status/abc"' in rich
    )


def test_a_customer_update_signs_with_the_company_and_never_with_escdesk(
    smtp: tuple[Controller, MailSink], store: NotifyStore, escalation_ids: tuple[int, int]
) -> None:
    controller, sink = smtp
    transport = EmailTransport(mailer(controller, store), store, company="Northwind")
    transport.deliver(update(escalation_ids[0]))
    transport.deliver(update(escalation_ids[0], by="", summary="", reference="ESC-77"))
    signed, unsigned = (r.message for r in sink.received)
    plain = signed.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Cara Diaz, for the Northwind escalation team" in plain
    text = unsigned.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "The Northwind escalation team" in text and "escdesk" not in text.lower()
    assert unsigned["Subject"] == "Update on your escalation ESC-77"  # no summary set yet


def test_all_updates_of_one_escalation_to_one_contact_form_one_thread(
    smtp: tuple[Controller, MailSink], store: NotifyStore, escalation_ids: tuple[int, int]
) -> None:
    controller, sink = smtp
    transport = EmailTransport(mailer(controller, store), store)
    first, second, third = (update(escalation_ids[0]) for _ in range(3))
    other = update(escalation_ids[1])
    ids = [transport.deliver(m).data["message_id"] for m in (first, second, other, third)]
    mails = [r.message for r in sink.received]
    assert mails[0]["In-Reply-To"] is None
    assert mails[1]["In-Reply-To"] == ids[0] and mails[1]["References"] == ids[0]
    assert mails[2]["In-Reply-To"] is None  # another escalation, another thread
    assert mails[3]["In-Reply-To"] == ids[1]
    assert mails[3]["References"] == f"{ids[0]} {ids[1]}"
    assert len({m["Subject"] for m in (mails[0], mails[1], mails[3])}) == 1


def test_a_retried_update_keeps_its_message_id_and_its_place_in_the_thread(
    smtp: tuple[Controller, MailSink], store: NotifyStore, escalation_ids: tuple[int, int]
) -> None:
    controller, sink = smtp
    transport = EmailTransport(mailer(controller, store), store)
    first, second = update(escalation_ids[0]), update(escalation_ids[0])
    transport.deliver(first)
    transport.deliver(second)
    transport.deliver(second)  # the answer was lost; the worker tries again
    a, b, b_again = (r.message for r in sink.received)
    assert b["Message-ID"] == b_again["Message-ID"]  # a mail client shows it once
    assert b_again["In-Reply-To"] == a["Message-ID"]


def test_internal_notes_never_reach_a_customer_address(
    smtp: tuple[Controller, MailSink],
    store: NotifyStore,
    uow: SqlUnitOfWork,
    now: datetime,
    escalation_ids: tuple[int, int],
) -> None:
    controller, sink = smtp
    contact = customer_contact(uow, now)
    transport = EmailTransport(mailer(controller, store), store)
    secret = "Internal: the customer's admin misconfigured the runner"
    attempts = [
        message("email.internal", contact.email, audience="internal", subject="FYI", body=secret),
        message(
            "email.internal", contact.email.upper(), audience="internal", subject="x", body=secret
        ),
        update(escalation_ids[0], to=contact.email, audience="internal", body=secret),
        update(escalation_ids[0], to=contact.email, audience="", body=secret),
    ]
    for attempt in attempts:
        with pytest.raises(DeliveryError) as refused:
            transport.deliver(attempt)
        assert refused.value.permanent and "refused" in refused.value.reason
    assert sink.received == []
    colleague = message(
        "email.internal", "sam@escdesk.example", audience="internal", subject="FYI", body=secret
    )
    transport.deliver(colleague)
    assert [r.recipients for r in sink.received] == [["sam@escdesk.example"]]


def test_a_customer_update_posted_on_the_desk_reaches_each_contact_threaded_and_internal_notes_none(
    smtp: tuple[Controller, MailSink], engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    """The whole way: a handler queues one e-mail per contact, the worker sends them."""
    controller, sink = smtp
    jo = customer_contact(uow, now)
    contacts.add_contact_now(
        uow,
        contacts.AddContact(str(jo.account_id), "Lena Wolf", "lena@acme.example", "de"),
        DatabaseAdministrator(),
        now,
    )
    esc = open_escalation(uow, now=now, account=str(jo.account_id))
    for minutes, audience, body in [
        (5, Audience.CUSTOMER, "We reproduced the stall."),
        (10, Audience.INTERNAL, "Suspect the scheduler lock; do not tell them yet."),
        (15, Audience.CUSTOMER, "A fix is in testing."),
    ]:
        act(uow, PostUpdate(esc.id, audience, body, None), now=now + timedelta(minutes=minutes))
    store = NotifyStore(engine, clock=lambda: now)
    worker = Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[EmailTransport(mailer(controller, store), store)],
        clock=lambda: now + timedelta(minutes=20),
        rng=random.Random(1),
    )
    worker.run_once()
    by_address: dict[str, list[EmailMessage]] = {}
    for received in sink.received:
        by_address.setdefault(received.recipients[0], []).append(received.message)
    assert sorted(by_address) == ["jo@acme.example", "lena@acme.example"]
    for mails in by_address.values():
        texts = [m.get_body(("plain",)).get_content() for m in mails]  # type: ignore[union-attr]
        assert len(mails) == 2 and "reproduced" in texts[0] and "in testing" in texts[1]
        assert not any("scheduler lock" in text for text in texts)
        assert mails[1]["In-Reply-To"] == mails[0]["Message-ID"]
    assert by_address["lena@acme.example"][0]["Content-Language"] == "de"
