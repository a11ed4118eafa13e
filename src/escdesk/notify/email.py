"""E-mail: customer-facing updates to the account's contacts, threaded; internal notices.

Message kinds:
- `email.customer_update`: destination = the contact's address. Payload: `audience` (must be
  `customer`), `customer`, `summary` (the customer summary; empty until the DRI sets one),
  `reference`, `body`, `by`, `contact_name`, `language` (BCP 47), `status_url` (optional).
  Signed with the configured company name. Plain-text and HTML parts; every update of one
  escalation to one contact is one thread (Message-ID, In-Reply-To, References).
- `email.internal`: destination = a colleague's address. Payload: `audience` (`internal`),
  `subject`, `body`, `by` (optional). Refused for a customer's address (R-OPS-2).

The Message-ID is derived from the outbox row, so a retry after a lost answer sends the same
Message-ID again, which mail clients show once.
"""

from __future__ import annotations

import hashlib
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from escdesk.notify import mail_text, survey_mail
from escdesk.notify.ports import EmailThreads
from escdesk.notify.smtp import CUSTOMER, INTERNAL, Mailer
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt, require

MAX_REFERENCES = 10
"""The thread's first message and the latest ones: enough for every client to thread."""


def message_id(message: OutboundMessage, domain: str) -> str:
    digest = hashlib.sha256(message.idempotency_key.encode("utf-8")).hexdigest()[:16]
    return f"<escdesk.{message.id}.{digest}@{domain}>"


def thread_headers(earlier: list[str]) -> dict[str, str]:
    """In-Reply-To the latest message of the thread; References from its start."""
    if not earlier:
        return {}
    chain = earlier if len(earlier) <= MAX_REFERENCES else [earlier[0], *earlier[-9:]]
    return {"In-Reply-To": earlier[-1], "References": " ".join(chain)}


class EmailTransport:
    kinds = frozenset({"email.customer_update", "email.internal", "email.survey"})

    def __init__(self, mailer: Mailer, threads: EmailThreads, company: str | None = None) -> None:
        self.mailer = mailer
        self.threads = threads
        self.company = company

    def deliver(self, message: OutboundMessage) -> Receipt:
        if message.kind == "email.customer_update":
            return self._customer_update(message)
        if message.kind == "email.internal":
            return self._internal(message)
        if message.kind == "email.survey":  # R-SLA-4
            return self._send(message, survey_mail.survey_mail(message), CUSTOMER, None)
        raise DeliveryError(f"e-mail does not deliver {message.kind}", permanent=True)

    def _customer_update(self, m: OutboundMessage) -> Receipt:
        p = m.payload
        audience = str(p.get("audience") or "")
        if audience != CUSTOMER:
            raise DeliveryError(
                f"refused: a customer update must have audience 'customer', not {audience!r}; "
                "internal notes are never e-mailed to customers",
                permanent=True,
            )
        if m.subject_id is None:
            raise DeliveryError("a customer update needs its escalation as subject", permanent=True)
        rendered = mail_text.customer_update(
            language=str(p.get("language") or "en"),
            contact_name=str(p.get("contact_name") or ""),
            customer=str(require(p, "customer", m)),
            summary=str(p.get("summary") or ""),
            body=str(require(p, "body", m)),
            by=str(p.get("by") or ""),
            status_url=p.get("status_url"),
            reference=str(p.get("reference") or f"ESC-{m.subject_id}"),
            company=self.company,
        )
        mail = EmailMessage()
        mail["To"] = formataddr((str(p.get("contact_name") or ""), m.destination))
        mail["Subject"] = rendered.subject
        mail.set_content(rendered.text)
        mail.add_alternative(rendered.html, subtype="html")
        mail["Content-Language"] = rendered.language  # after the parts: set_content drops it
        thread = f"{m.subject_type}-{m.subject_id}:{m.destination.lower()}"
        return self._send(m, mail, CUSTOMER, thread)

    def _internal(self, m: OutboundMessage) -> Receipt:
        p = m.payload
        mail = EmailMessage()
        mail["To"] = m.destination
        mail["Subject"] = str(require(p, "subject", m))
        mail["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to a notice
        mail.set_content(str(require(p, "body", m)))
        return self._send(m, mail, str(p.get("audience") or INTERNAL), None)

    def _send(
        self, m: OutboundMessage, mail: EmailMessage, audience: str, thread: str | None
    ) -> Receipt:
        header_id = message_id(m, self.mailer.domain)
        mail["Message-ID"] = header_id
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        if thread is not None:
            for name, value in thread_headers(self.threads.earlier(thread, m.id)).items():
                mail[name] = value
            self.threads.place(thread, m.id, header_id)
        self.mailer.send(mail, audience)
        return Receipt({"message_id": header_id, "to": m.destination})
