"""Reading received mail (RFC 5322) into a customer's reply: sender, thread, person or machine
(RFC 3834), and the text above the quote — from real message bytes."""

from __future__ import annotations

import base64

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.notify.inbound_mail import read_reply, trimmed

HEAD = (
    "From: =?utf-8?q?J=C3=B6rg_M=C3=BCller?= <Joerg@Isar.example>\r\n"
    "To: desk@escdesk.example\r\n"
    "Subject: =?utf-8?q?AW=3A_Neuigkeiten?=\r\n"
    "Message-ID: <abc@isar.example>\r\n"
    "In-Reply-To: <escdesk.7.beef@escdesk.example>\r\n"
    "References: <escdesk.3.dead@escdesk.example>\r\n <escdesk.7.beef@escdesk.example>\r\n"
    "MIME-Version: 1.0\r\n"
)


def test_an_html_only_base64_reply_from_outlook_is_read_above_its_quote() -> None:
    html = (
        "<html><body><div>Die Logs sind angeh&auml;ngt.<br>Gr&uuml;&szlig;e</div>"
        "<blockquote><p>Please send the logs.</p></blockquote></body></html>"
    )
    raw = (
        HEAD
        + 'Content-Type: multipart/mixed; boundary="m"\r\n\r\n--m\r\n'
        + "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(html.encode()).decode().replace("\n", "\r\n")
        + "\r\n--m\r\nContent-Type: application/octet-stream\r\n"
        + 'Content-Disposition: attachment; filename="logs.txt"\r\n\r\nsecret\r\n--m--\r\n'
    ).encode()
    reply = read_reply(raw)
    assert reply.sender == "joerg@isar.example"
    assert reply.refers_to == (
        "<escdesk.3.dead@escdesk.example>",
        "<escdesk.7.beef@escdesk.example>",
        "<escdesk.7.beef@escdesk.example>",
    )
    assert reply.message_id == "<abc@isar.example>"
    assert reply.text == "Die Logs sind angehängt.\nGrüße" and not reply.automatic


def test_a_vacation_notice_is_automatic_and_a_person_saying_no_is_not() -> None:
    body = "Content-Type: text/plain\r\n\r\nI am out of office until Monday.\r\n"
    assert read_reply((HEAD + "Auto-Submitted: auto-replied\r\n" + body).encode()).automatic
    assert read_reply((HEAD + "Precedence: bulk\r\n" + body).encode()).automatic
    assert not read_reply((HEAD + "Auto-Submitted: no\r\n" + body).encode()).automatic


@pytest.mark.parametrize(
    "quote",
    [
        "Am Mo., 2. Nov. 2026 um 10:05 schrieb Escalation desk <desk@escdesk.example>:\n> old",
        "-----Original Message-----\nFrom: desk\nold",
        "\nFrom: Escalation desk\nSent: Monday\nold",
        "-- \nJörg Müller, Isar Logistics",
        "Le lun. 2 nov. 2026, Escalation desk a écrit :\n> old",
    ],
)
def test_the_quoted_message_and_the_signature_are_trimmed(quote: str) -> None:
    assert trimmed(f"Here you go.\n{quote}") == "Here you go."


def test_a_message_without_a_sender_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_reply(b"Subject: hi\r\n\r\nhello\r\n")
    assert refused.value.field == "message"
