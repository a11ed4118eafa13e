"""Sending e-mail over SMTP (stdlib `smtplib`), with the one guard every e-mail passes.

`ESCDESK_SMTP_URL` names the server: `smtp://user:password@host:587?starttls=true` (STARTTLS,
the submission port), `smtps://user:password@host:465` (TLS from the first byte), or
`smtp://host:25` (a local relay, no login). `cafile=/path/ca.pem` trusts a private CA.

The guard (R-OPS-2): a message whose audience is internal never goes to a customer's address.
It is checked here, on the envelope, for every kind of e-mail — not left to whoever wrote the
outbox row — and refusing is permanent: no retry can make an internal note fit for a customer.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

from escdesk.domain.errors import InvalidInput
from escdesk.notify.ports import CustomerAddresses
from escdesk.notify.transport import DeliveryError

TIMEOUT_SECONDS = 20
INTERNAL, CUSTOMER = "internal", "customer"
_SETTING = "ESCDESK_SMTP_URL"


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    security: str = "none"
    """`starttls`, `tls` (smtps) or `none`."""
    cafile: str | None = None

    @classmethod
    def from_url(cls, url: str) -> SmtpServer:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise InvalidInput(
                _SETTING,
                "is not an smtp:// or smtps:// URL with a host",
                "Write it as smtp://user:password@host:587?starttls=true",
            )
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        starttls = query.get("starttls", "").lower() in ("1", "true", "yes")
        if parts.scheme == "smtps" and starttls:
            raise InvalidInput(
                _SETTING, "asks for smtps and STARTTLS at once", "Use one: smtps:// or ?starttls"
            )
        security = "tls" if parts.scheme == "smtps" else "starttls" if starttls else "none"
        try:
            port = parts.port or (465 if security == "tls" else 587 if starttls else 25)
        except ValueError:
            raise InvalidInput(_SETTING, "has a port that is not a number", "Fix it") from None
        return cls(
            host=parts.hostname,
            port=port,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
            security=security,
            cafile=query.get("cafile"),
        )

    def describe(self) -> str:
        return f"{self.host}:{self.port}"

    def context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=self.cafile)


class Mailer:
    """Sends one prepared message; each call opens and closes its own connection."""

    def __init__(self, server: SmtpServer, sender: str, customers: CustomerAddresses) -> None:
        self.server = server
        self.sender = sender
        self.customers = customers
        _, address = parseaddr(sender)
        self.domain = address.rpartition("@")[2] or "escdesk.invalid"

    def check_audience(self, recipients: list[str], audience: str) -> None:
        """R-OPS-2: internal text never reaches a customer address, whoever addressed it."""
        if audience not in (INTERNAL, CUSTOMER):
            raise DeliveryError(
                f"the e-mail's audience is {audience!r}, neither internal nor customer; "
                "escdesk sends only what it knows the audience of",
                permanent=True,
            )
        if audience == INTERNAL:
            customers = [r for r in recipients if self.customers.is_customer_address(r)]
            if customers:
                raise DeliveryError(
                    f"refused: internal text addressed to a customer ({', '.join(customers)})",
                    permanent=True,
                )

    def send(self, mail: EmailMessage, audience: str) -> None:
        recipients = [a for _, a in getaddresses(mail.get_all("To", []) + mail.get_all("Cc", []))]
        self.check_audience(recipients, audience)
        if "From" not in mail:
            mail["From"] = self.sender
        try:
            with self._connect() as smtp:
                if self.server.username:
                    smtp.login(self.server.username, self.server.password or "")
                smtp.send_message(mail)
        except smtplib.SMTPAuthenticationError:
            raise DeliveryError(
                f"the mail server {self.server.describe()} refused the login; check {_SETTING}",
                permanent=True,
            ) from None
        except smtplib.SMTPNotSupportedError as exc:
            raise DeliveryError(
                f"the mail server {self.server.describe()} does not support {exc}; "
                f"check {_SETTING}",
                permanent=True,
            ) from None
        except smtplib.SMTPRecipientsRefused as exc:
            codes = {code for code, _ in exc.recipients.values()}
            refused = ", ".join(f"{r} ({c})" for r, (c, _) in exc.recipients.items())
            raise DeliveryError(
                f"the mail server refused {refused}", permanent=all(c >= 500 for c in codes)
            ) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            raise DeliveryError(
                f"the mail server answered {exc.smtp_code}: {_text(exc.smtp_error)}",
                permanent=exc.smtp_code >= 500,
            ) from None
        except ssl.SSLCertVerificationError as exc:
            raise DeliveryError(
                f"the mail server's certificate is not trusted ({exc.verify_message}); "
                f"add ?cafile=… to {_SETTING}",
                permanent=True,
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryError(
                f"cannot send through {self.server.describe()} ({type(exc).__name__}: {exc})",
                permanent=False,
            ) from None

    def _connect(self) -> smtplib.SMTP:
        server = self.server
        if server.security == "tls":
            return smtplib.SMTP_SSL(
                server.host, server.port, timeout=TIMEOUT_SECONDS, context=server.context()
            )
        smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_SECONDS)
        try:
            if server.security == "starttls":
                smtp.ehlo()
                smtp.starttls(context=server.context())
                smtp.ehlo()
        except BaseException:
            smtp.close()
            raise
        return smtp


def sender_identity(mail_from: str | None, base_url: str) -> tuple[str, str]:
    """The address invitations come from and the domain of Message-IDs and event UIDs:
    `mail_from`'s, else `escdesk@<host of base_url>`."""
    _, address = parseaddr(mail_from or "")
    if "@" not in address:
        address = f"escdesk@{urlsplit(base_url).hostname or 'escdesk.invalid'}"
    return address, address.rpartition("@")[2]


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
