"""The transports an installation has, from its settings; unconfigured ones say what to set."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import Engine

from escdesk.config import Settings
from escdesk.notify.transports import NotConfigured, build_transports
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import open_escalation
from tests.notify.builders import message
from tests.notify.slack_server import BOT_TOKEN, SlackServer


def test_without_slack_settings_a_slack_message_waits_naming_the_setting(
    engine: Engine, database_url: str
) -> None:
    transports = build_transports(Settings(database_url=database_url), engine)
    with pytest.raises(NotConfigured) as failure:
        transports.deliver(message("slack.post", "#esc_acme", 1, template="update"))
    assert not failure.value.permanent and "ESCDESK_SLACK_BOT_TOKEN" in failure.value.reason
    with pytest.raises(NotConfigured, match="ESCDESK_SMTP_URL"):
        transports.deliver(message("email.internal", "sam@x.example", subject="s", body="b"))
    assert {"webhook", "calendar.invite", "calendar.cancel"} <= transports.by_kind.keys()


def test_with_a_bot_token_slack_messages_go_to_the_configured_api(
    engine: Engine, database_url: str, slack: SlackServer, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    settings = Settings(
        database_url=database_url, slack_api_url=slack.url, slack_bot_token=BOT_TOKEN
    )
    receipt = build_transports(settings, engine).deliver(
        message("slack.create_channel", "#esc_acme", esc.id)
    )
    assert receipt.data["channel"] == "esc_acme" and slack.count("conversations.create") == 1
