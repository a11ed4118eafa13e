"""Slack posts: the pinned opening message, the declaration, key moments — each exactly once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest

from escdesk.notify.ports import SlackChannel
from escdesk.notify.transport import DeliveryError
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import open_escalation
from tests.notify.builders import message, opening_messages
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import BOT_USER, SlackServer


@pytest.fixture
def escalation_id(uow: SqlUnitOfWork, now: datetime) -> int:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    return esc.id


def test_the_opening_message_carries_tracker_ask_skills_and_next_sync_and_is_pinned(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    create, opening, _ = opening_messages(escalation_id)
    transport.deliver(create)
    receipt = transport.deliver(opening).data
    channel = slack.workspace.by_name("esc_acme-corp")
    assert channel is not None
    [posted] = channel.messages
    assert receipt["ts"] == posted.ts and receipt["pinned"] is True
    assert channel.pins == [posted.ts]
    assert f"https://desk.example/escalations/{escalation_id}" in posted.text
    assert "An engineer who reads production logs daily" in posted.text
    assert "PostgreSQL" in posted.text
    assert "<!date^" in posted.text  # the next sync, shown in each reader's timezone


def test_the_declaration_waits_for_the_channel_then_names_it_with_the_seeds_template(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    shared = slack.workspace.add_channel("escalated_customers")  # the bot is not a member
    transport = slack_transport(slack, store)
    create, _, declaration = opening_messages(escalation_id)
    with pytest.raises(DeliveryError) as early:
        transport.deliver(declaration)
    assert not early.value.permanent and "waiting" in early.value.reason
    created = transport.deliver(create).data
    receipt = transport.deliver(declaration).data
    assert receipt["channel_id"] == shared.id and BOT_USER in shared.members  # joined, retried
    [posted] = shared.messages
    for line in (
        "New Escalation",
        "Customer: Acme Corp",
        f"Slack Channel: <#{created['channel_id']}>",
        f"Tracking Document: https://desk.example/escalations/{escalation_id}",
        "Severity: High",
        "Status: Opened",
        "Product DRI: Pat Lee",
        "Description: Pipelines stall",
        "FYI: @vp-cs",
    ):
        assert line in posted.text


def test_a_key_moment_says_what_changed_who_changed_it_and_the_reason_they_gave(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    shared = slack.workspace.add_channel("escalated_customers", BOT_USER)
    transport = slack_transport(slack, store)
    transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id))
    change = message(
        "slack.announce",
        "#escalated_customers",
        escalation_id,
        template="severity_changed",
        customer="Acme <Corp>",
        old="medium",
        severity="high",
        status="active",
        by="Mei Lin",
        reason="two more <!channel> teams blocked",
    )
    transport.deliver(change)
    text = shared.messages[0].text
    assert "from medium to *high*" in text and "by Mei Lin" in text
    assert "two more &lt;!channel&gt; teams blocked" in text  # nobody's text pings @channel
    assert "Acme &lt;Corp&gt;" in text


class DiesAfterSlackAnswers:
    """A journal whose process dies right after Slack confirmed a step, before recording it."""

    def __init__(self, store: NotifyStore, step: str) -> None:
        self.store, self.step = store, step

    def done(self, message_id: int, step: str) -> Mapping[str, Any] | None:
        return self.store.done(message_id, step)

    def begin(self, message_id: int, step: str) -> bool:
        return self.store.begin(message_id, step)

    def finish(self, message_id: int, step: str, data: Mapping[str, Any]) -> None:
        if step == self.step:
            raise SystemExit("killed")
        self.store.finish(message_id, step, data)


def test_a_worker_killed_after_posting_does_not_post_again_on_the_retry(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    transport = slack_transport(slack, store)
    create, opening, _ = opening_messages(escalation_id)
    transport.deliver(create)
    dying = slack_transport(slack, store)
    dying.journal = DiesAfterSlackAnswers(store, "post")
    with pytest.raises(SystemExit):
        dying.deliver(opening)
    receipt = slack_transport(slack, store).deliver(opening).data
    channel = slack.workspace.by_name("esc_acme-corp")
    assert channel is not None
    assert [m.ts for m in channel.messages] == [receipt["ts"]]  # found by its metadata
    assert channel.pins == [receipt["ts"]]
    assert slack.count("chat.postMessage") == 1


class Forgetful:
    """Channels as a worker saw them that died before writing down what Slack created."""

    def __init__(self, store: NotifyStore) -> None:
        self.store = store

    def of_escalation(self, escalation_id: int) -> SlackChannel | None:
        return self.store.of_escalation(escalation_id)

    def by_channel_id(self, channel_id: str) -> SlackChannel | None:
        return self.store.by_channel_id(channel_id)

    def remember(self, escalation_id: int, channel_id: str, name: str) -> None:
        pass

    def mark_archived(self, escalation_id: int, archived: bool) -> None:
        pass

    def remember_opening(self, escalation_id: int, ts: str, version: int) -> None:
        pass

    def opening_shows(self, escalation_id: int, version: int) -> bool:
        return True


def test_a_worker_killed_after_creating_the_channel_adopts_it_instead_of_making_another(
    slack: SlackServer, store: NotifyStore, escalation_id: int
) -> None:
    create, _, _ = opening_messages(escalation_id)
    dying = slack_transport(slack, store)
    dying.journal = DiesAfterSlackAnswers(store, "create")
    dying.channels = Forgetful(store)  # Slack made the channel; the worker died before noting it
    with pytest.raises(SystemExit):
        dying.deliver(create)
    receipt = slack_transport(slack, store).deliver(create).data
    assert receipt["channel"] == "esc_acme-corp"
    assert [c.name for c in slack.workspace.channels.values()] == ["esc_acme-corp"]
    assert slack.count("conversations.create") == 1
