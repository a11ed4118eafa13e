"""SMTP: the URL, STARTTLS and login, and the server's answers sorted into retry or stop."""

from __future__ import annotations

from pathlib import Path

import pytest
from aiosmtpd.controller import Controller

from escdesk.domain.errors import InvalidInput
from escdesk.notify.email import EmailTransport
from escdesk.notify.smtp import SmtpServer
from escdesk.notify.transport import DeliveryError, OutboundMessage
from escdesk.store.notify_repository import NotifyStore
from tests.notify import smtp_server
from tests.notify.builders import message
from tests.notify.conftest import mailer
from tests.notify.smtp_server import PASSWORD, USER, MailSink, free_port


def notice(to: str = "sam@escdesk.example") -> OutboundMessage:
    return message("email.internal", to, audience="internal", subject="Standup", body="At 10:30")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://desk%40corp:p%3Ass@mail.example.com:587?starttls=true",
            SmtpServer("mail.example.com", 587, "desk@corp", "p:ss", "starttls"),
        ),
        ("smtps://u:p@mail.example.com", SmtpServer("mail.example.com", 465, "u", "p", "tls")),
        ("smtp://relay.internal", SmtpServer("relay.internal", 25)),
    ],
)
def test_the_smtp_url_names_host_port_login_and_security(url: str, expected: SmtpServer) -> None:
    assert SmtpServer.from_url(url) == expected


@pytest.mark.parametrize(
    "url", ["http://mail.example.com", "smtp://", "smtps://h?starttls=true", "smtp://h:port"]
)
def test_a_bad_smtp_url_is_refused_naming_the_setting(url: str) -> None:
    with pytest.raises(InvalidInput) as error:
        SmtpServer.from_url(url)
    assert error.value.field == "ESCDESK_SMTP_URL"


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return smtp_server.self_signed_certificate(tmp_path_factory.mktemp("tls"))


def test_mail_goes_out_over_starttls_with_a_login(
    certificate: tuple[Path, Path], store: NotifyStore
) -> None:
    controller, sink = smtp_server.start(auth=True, tls=certificate)
    try:
        url = (
            f"smtp://{USER}:{PASSWORD}@127.0.0.1:{controller.port}"
            f"?starttls=true&cafile={certificate[0]}"
        )
        EmailTransport(mailer(controller, store, url), store).deliver(notice())
        assert [r.recipients for r in sink.received] == [["sam@escdesk.example"]]
        wrong = url.replace(PASSWORD, "wrong")
        with pytest.raises(DeliveryError) as refused:
            EmailTransport(mailer(controller, store, wrong), store).deliver(notice())
        assert refused.value.permanent and "ESCDESK_SMTP_URL" in refused.value.reason
    finally:
        controller.stop()


def test_mail_goes_out_over_tls_from_the_first_byte(
    certificate: tuple[Path, Path], store: NotifyStore
) -> None:
    controller, sink = smtp_server.start(tls=certificate, implicit_tls=True)
    try:
        url = f"smtps://127.0.0.1:{controller.port}?cafile={certificate[0]}"
        EmailTransport(mailer(controller, store, url), store).deliver(notice())
        assert len(sink.received) == 1
        untrusted = f"smtps://127.0.0.1:{controller.port}"
        with pytest.raises(DeliveryError) as refused:
            EmailTransport(mailer(controller, store, untrusted), store).deliver(notice())
        assert refused.value.permanent and "cafile" in refused.value.reason
    finally:
        controller.stop()


@pytest.mark.parametrize(
    ("answer", "permanent"),
    [("451 4.3.0 Try again later", False), ("554 5.7.1 Message rejected", True)],
)
def test_a_refusal_is_retried_when_the_server_says_4xx_and_not_when_it_says_5xx(
    smtp: tuple[Controller, MailSink], store: NotifyStore, answer: str, permanent: bool
) -> None:
    controller, sink = smtp
    sink.refuse_with = answer
    with pytest.raises(DeliveryError) as failure:
        EmailTransport(mailer(controller, store), store).deliver(notice())
    assert failure.value.permanent is permanent and answer[:3] in failure.value.reason


def test_a_mail_server_that_is_down_is_worth_retrying(store: NotifyStore) -> None:
    url = f"smtp://127.0.0.1:{free_port()}"
    transport = EmailTransport(mailer(None, store, url), store)
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(notice())
    assert not failure.value.permanent and "cannot send" in failure.value.reason
