"""Slack's failures as the Web API documents them: pause, retry, or stop and say why."""

from __future__ import annotations

from datetime import datetime

import pytest

from escdesk.notify.slack_api import SlackApi
from escdesk.notify.transport import DeliveryError
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import open_escalation
from tests.notify.builders import message, opening_messages
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import SlackServer


@pytest.fixture
def escalation_id(uow: SqlUnitOfWork, now: datetime) -> int:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    return esc.id


def test_a_rate_limited_call_asks_the_worker_to_wait_as_long_as_slack_said(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    create, opening, _ = opening_messages(escalation_id)
    transport.deliver(create)
    slack.rate_limit("pins.add", retry_after=7)
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(opening)
    assert failure.value.retry_after == 7 and not failure.value.permanent
    transport.deliver(opening)  # the retry pins the message it posted before, posts nothing new
    channel = slack.workspace.by_name("esc_acme-corp")
    assert channel is not None and len(channel.messages) == 1 and len(channel.pins) == 1


def test_a_token_slack_refuses_is_a_permanent_failure_naming_the_setting(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    transport.bot = SlackApi("xoxb-wrong", slack.url)
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id))
    assert failure.value.permanent
    assert "invalid_auth" in failure.value.reason
    assert "ESCDESK_SLACK_BOT_TOKEN" in failure.value.reason


def test_an_outage_is_worth_retrying_whether_slack_answers_500_or_refuses_connections(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    create = message("slack.create_channel", "#esc_acme", escalation_id)
    slack.answer_500 = True
    with pytest.raises(DeliveryError) as five_hundred:
        transport.deliver(create)
    assert not five_hundred.value.permanent and "HTTP 500" in five_hundred.value.reason
    slack.answer_500 = False
    slack.stop()
    with pytest.raises(DeliveryError) as refused:
        transport.deliver(create)
    assert not refused.value.permanent and "cannot reach Slack" in refused.value.reason
    slack.start()
    assert transport.deliver(create).data["channel"] == "esc_acme"


def test_a_shared_channel_that_does_not_exist_is_a_permanent_failure_saying_so(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    create, _, declaration = opening_messages(escalation_id)
    transport.deliver(create)
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(declaration)
    assert failure.value.permanent and "no channel #escalated_customers" in failure.value.reason


def test_a_channel_deleted_in_slack_is_reported_as_slack_documents_channel_not_found(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    created = transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id)).data
    del slack.workspace.channels[created["channel_id"]]
    post = message("slack.post", "#esc_acme", escalation_id, template="update", customer="A")
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(post)
    assert failure.value.permanent and "channel_not_found" in failure.value.reason


def test_a_message_without_a_template_slack_knows_is_refused_for_good(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id))
    post = message("slack.post", "#esc_acme", escalation_id, template="haiku", customer="A")
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(post)
    assert failure.value.permanent and "haiku" in failure.value.reason


def test_a_bot_removed_from_the_channel_joins_it_again_and_posts(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    created = transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id)).data
    channel = slack.workspace.channels[created["channel_id"]]
    channel.members.clear()
    post = message("slack.post", "#esc_acme", escalation_id, template="update", customer="A")
    transport.deliver(post)
    assert len(channel.messages) == 1 and slack.count("conversations.join") == 1


def test_a_channel_archived_by_hand_in_slack_refuses_posts_for_good(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    created = transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id)).data
    slack.workspace.channels[created["channel_id"]].is_archived = True
    post = message("slack.post", "#esc_acme", escalation_id, template="update", customer="A")
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(post)
    assert failure.value.permanent and "is_archived" in failure.value.reason
