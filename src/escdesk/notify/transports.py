"""The transports this installation can use, built once from the settings.

Slack needs a bot token, e-mail an SMTP URL; calendar invitations are e-mailed when SMTP is
set and still feed the calendar feeds when not; webhooks need nothing but the store. A message
whose transport is not configured fails with `NotConfigured` (worth retrying once someone
configures it), naming the setting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import Engine

from escdesk.config import Settings
from escdesk.notify.calendar_invites import CalendarTransport
from escdesk.notify.email import EmailTransport
from escdesk.notify.slack import SlackTransport
from escdesk.notify.slack_api import SlackApi
from escdesk.notify.smtp import Mailer, SmtpServer, sender_identity
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt, Transport
from escdesk.notify.webhooks import WebhookTransport
from escdesk.store.notify_repository import NotifyStore

NOT_CONFIGURED_PAUSE = 600.0

_NEEDS = {
    "slack": "Slack is not configured: set ESCDESK_SLACK_BOT_TOKEN (see the README)",
    "email": "e-mail is not configured: set ESCDESK_SMTP_URL and ESCDESK_MAIL_FROM",
}


class NotConfigured(DeliveryError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason, permanent=False, retry_after=NOT_CONFIGURED_PAUSE)


class Transports:
    """Routes each message to the one transport that delivers its kind, with the links of
    escdesk (the tracker) that only the settings know."""

    def __init__(self, transports: Iterable[Transport], base_url: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.by_kind: dict[str, Transport] = {}
        for transport in transports:
            for kind in transport.kinds:
                if kind in self.by_kind:
                    raise ValueError(f"two transports deliver {kind}")
                self.by_kind[kind] = transport

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self.by_kind)

    def deliver(self, message: OutboundMessage) -> Receipt:
        if (
            self.base_url
            and message.subject_type == "escalation"
            and message.subject_id is not None
            and "tracker_url" not in message.payload
        ):
            tracker = f"{self.base_url}/escalations/{message.subject_id}/tracker"
            message = replace(message, payload={**message.payload, "tracker_url": tracker})
        if "survey_path" in message.payload and "survey_url" not in message.payload:
            survey_url = f"{self.base_url}{message.payload['survey_path']}"
            message = replace(message, payload={**message.payload, "survey_url": survey_url})
        transport = self.by_kind.get(message.kind)
        if transport is None:
            family = message.kind.partition(".")[0]
            raise NotConfigured(_NEEDS.get(family, f"no transport delivers {message.kind}"))
        return transport.deliver(message)


def build_transports(
    settings: Settings, engine: Engine, clock: Callable[[], datetime] | None = None
) -> Transports:
    clock = clock or (lambda: datetime.now(UTC))
    store = NotifyStore(engine, clock)
    found: list[Transport] = [
        WebhookTransport(store, timeout=settings.webhook_timeout, clock=clock)
    ]
    bot_token = settings.secret("slack_bot_token")
    if bot_token:
        user_token = settings.secret("slack_user_token")
        user = (
            SlackApi(user_token, settings.slack_api_url, "ESCDESK_SLACK_USER_TOKEN")
            if user_token
            else None
        )
        bot = SlackApi(bot_token, settings.slack_api_url)
        found.append(SlackTransport(bot, store, store, user=user))
    smtp_url = settings.secret("smtp_url")
    mailer = None
    if smtp_url and settings.mail_from:
        mailer = Mailer(SmtpServer.from_url(smtp_url), settings.mail_from, store)
        found.append(EmailTransport(mailer, store, company=settings.company_name))
    organizer, domain = sender_identity(settings.mail_from, settings.base_url)
    found.append(
        CalendarTransport(store, store, mailer, organizer=organizer, domain=domain, clock=clock)
    )
    return Transports(found, settings.base_url)
