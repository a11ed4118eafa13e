"""`escdesk mail receive`: a customer's e-mail reply to a threaded update resumes the paused
customer-update clock (R-SLA-2); anything else is one line, nothing written, exit code 3.

The updates are really sent (the worker, the e-mail transport, an SMTP sink), so the replies
below answer the Message-IDs a customer's mail client would have seen."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from escdesk.domain.clock import Audience
from escdesk.notify.email import EmailTransport
from escdesk.notify.worker import Worker
from escdesk.services import escalations, pauses
from escdesk.services.escalation_commands import PostUpdate, ShowEscalation
from escdesk.services.views import EscalationDetail
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.cli.conftest import Cli, row_counts
from tests.notify import smtp_server
from tests.notify.conftest import customer_contact, mailer


@dataclass(frozen=True)
class Sent:
    escalation_id: int
    message_id: str  # the Message-ID of the customer update jo@acme.example received
    dri: str


@pytest.fixture
def sent(engine: Engine, uow: SqlUnitOfWork, recent: datetime) -> Iterator[Sent]:
    """ESC-n of Jo's account waits on the customer after one customer update e-mailed to Jo."""
    controller, sink = smtp_server.start()
    try:
        jo = customer_contact(uow, recent)
        dri = factories.add_person(uow, "support", now=recent)
        esc = factories.open_escalation(uow, now=recent, account=str(jo.account_id), dri=dri.email)
        assert esc.id is not None
        update = PostUpdate(esc.id, Audience.CUSTOMER, "Please send a HAR file.", None)
        factories.act(uow, update, now=recent + timedelta(minutes=5), by=dri.email)
        store = NotifyStore(engine, clock=lambda: recent)
        Worker(
            uow_factory=lambda: SqlUnitOfWork(engine),
            transports=[EmailTransport(mailer(controller, store), store)],
            clock=lambda: recent + timedelta(minutes=6),
            rng=random.Random(1),
        ).run_once()
        [mail] = [r.message for r in sink.received]
        wait = pauses.WaitOnCustomer(esc.id, "HAR file")
        factories.act(
            uow, wait, now=recent + timedelta(minutes=10), by=dri.email,
            handler=pauses.wait_on_customer,
        )  # fmt: skip
        yield Sent(esc.id, str(mail["Message-ID"]), dri.email)
    finally:
        controller.stop()


def reply(
    sent: Sent,
    *,
    sender: str = "Jo Chen <jo@acme.example>",
    in_reply_to: str | None = None,
    extra: str = "",
) -> bytes:
    """A reply as Thunderbird writes one: multipart/alternative, quoted-printable, quoting."""
    parent = in_reply_to or sent.message_id
    return (
        f"From: {sender}\r\n"
        "To: Escalation desk <desk@escdesk.example>\r\n"
        "Subject: Re: Update on your escalation: Pipelines stall\r\n"
        "Date: Mon, 02 Nov 2026 11:55:00 +0000\r\n"
        "Message-ID: <reply-1@acme.example>\r\n"
        f"In-Reply-To: {parent}\r\n"
        f"References: {parent}\r\n"
        f"{extra}"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/alternative; boundary="b1"\r\n'
        "\r\n"
        "--b1\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n"
        "\r\n"
        "Hallo, here is the HAR file =E2=80=94 M=C3=BCnchen office, port 8443.\r\n"
        "\r\n"
        "On Mon, 2 Nov 2026 at 10:05, Escalation desk wrote:\r\n"
        "> Please send a HAR file.\r\n"
        "--b1\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "\r\n"
        "<p>Hallo, here is the HAR file</p><blockquote>Please send a HAR file.</blockquote>\r\n"
        "--b1--\r\n"
    ).encode()


def _escalation(uow: SqlUnitOfWork, escalation_id: int) -> EscalationDetail:
    return factories.ask(uow, escalations.show_escalation, ShowEscalation(escalation_id))


def test_a_contacts_reply_resumes_the_paused_clock_and_lands_on_the_timeline(
    cli: Cli, sent: Sent, uow: SqlUnitOfWork
) -> None:
    result = cli("mail", "receive", input=reply(sent))
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"ESC-{sent.escalation_id}: jo@acme.example answered; the customer-update clock runs "
        "again\n"
    )
    esc = _escalation(uow, sent.escalation_id).escalation
    assert esc.pauses[-1].end is not None and esc.pauses[-1].via == "email"
    assert esc.next_customer_update_due is not None
    history = cli.json("escalations", "history", str(sent.escalation_id))
    [resumed] = [e for e in history["items"] if e["type"] == "clock_resumed"]
    assert resumed["data"]["from"] == "jo@acme.example" and resumed["actor"] is None
    [replied] = [e for e in history["items"] if e["type"] == "customer_replied"]
    assert replied["data"]["reply"] == "Hallo, here is the HAR file — München office, port 8443."
    assert replied["data"]["from"] == "jo@acme.example"


def test_a_second_reply_finds_nothing_waiting_and_writes_nothing(
    cli: Cli, sent: Sent, engine: Engine
) -> None:
    assert cli("mail", "receive", input=reply(sent)).exit_code == 0
    before = row_counts(engine)
    again = cli("mail", "receive", "--json", input=reply(sent))
    assert again.exit_code == 3
    assert '"outcome": "not_waiting"' in again.stdout
    assert row_counts(engine) == before


@pytest.mark.parametrize(
    ("kwargs", "line"),
    [
        ({"extra": "Auto-Submitted: auto-replied\r\n"}, "ignored: an automatic reply from"),
        ({"extra": "Auto-Submitted: auto-generated; owner-email=x@acme.example\r\n"}, "automatic"),
        ({"in_reply_to": "<someone-else@acme.example>"}, "answers no customer update"),
        ({"sender": "Mallory <mallory@evil.example>"}, "is not a customer contact of"),
    ],
)
def test_what_is_not_a_contacts_answer_is_one_line_and_nothing_written(
    cli: Cli, sent: Sent, engine: Engine, kwargs: dict[str, str], line: str
) -> None:
    before = row_counts(engine)
    result = cli("mail", "receive", input=reply(sent, **kwargs))
    assert result.exit_code == 3, result.output
    assert line in result.stdout and result.stdout.count("\n") == 1
    assert row_counts(engine) == before


def test_an_empty_or_senderless_input_is_bad_input(cli: Cli, sent: Sent) -> None:
    assert cli("mail", "receive", input="").exit_code == 2
    nobody = cli("mail", "receive", input="Subject: hi\r\n\r\nhello\r\n")
    assert nobody.exit_code == 2 and "no sender address" in nobody.output


def test_a_maildirs_new_messages_are_handled_and_moved_to_cur(
    cli: Cli, sent: Sent, tmp_path: Path, uow: SqlUnitOfWork
) -> None:
    box = tmp_path / "Maildir"
    for sub in ("new", "cur", "tmp"):
        (box / sub).mkdir(parents=True)
    (box / "new" / "1700000000.1.host").write_bytes(
        reply(sent, extra="Auto-Submitted: auto-replied\r\n")
    )
    (box / "new" / "1700000001.2.host").write_bytes(reply(sent))
    result = cli("mail", "receive", "--maildir", str(box))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("1700000000.1.host: ignored: an automatic reply")
    assert lines[1].startswith(f"1700000001.2.host: ESC-{sent.escalation_id}: jo@acme.example")
    assert list((box / "new").iterdir()) == []
    assert sorted(p.name for p in (box / "cur").iterdir()) == [
        "1700000000.1.host:2,S",
        "1700000001.2.host:2,S",
    ]
    assert _escalation(uow, sent.escalation_id).escalation.pauses[-1].via == "email"
