"""Slack: one channel per escalation, its owners invited, the tracker bookmarked (seed 004)."""

from __future__ import annotations

from datetime import datetime

import pytest

from escdesk.notify.transport import DeliveryError
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import open_escalation
from tests.notify.builders import message, opening_messages
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import BOT_USER, SlackServer


def _escalation_id(uow: SqlUnitOfWork, now: datetime) -> int:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    return esc.id


def test_opening_creates_the_channel_invites_the_owners_and_bookmarks_the_tracker(
    slack: SlackServer, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    escalation_id = _escalation_id(uow, now)
    cara = slack.workspace.add_user("cara@example.com", "Cara Diaz")
    create = message(
        "slack.create_channel",
        "#esc_muller-sohne-gmbh",
        escalation_id,
        customer="Müller & Söhne GmbH",
        tracker_url="https://desk.example/escalations/1",
        invite=[
            {"email": "cara@example.com", "name": "Cara Diaz", "role": "dri"},
            {"email": "pat@example.com", "name": "Pat Lee", "role": "product_dri"},
        ],
    )
    receipt = slack_transport(slack, store).deliver(create).data
    channel = slack.workspace.by_name("esc_muller-sohne-gmbh")
    assert channel is not None and not channel.is_archived
    assert receipt["channel_id"] == channel.id and receipt["channel"] == "esc_muller-sohne-gmbh"
    assert {cara, BOT_USER} <= channel.members
    assert receipt["invited"] == ["cara@example.com"]
    assert receipt["not_in_slack"] == ["pat@example.com"]  # reported, not a crash
    assert [b["link"] for b in channel.bookmarks] == ["https://desk.example/escalations/1"]
    assert store.of_escalation(escalation_id).channel_id == channel.id  # type: ignore[union-attr]


def test_a_taken_name_gets_a_suffix_and_the_receipt_names_the_channel_slack_made(
    slack: SlackServer, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    slack.workspace.add_channel("esc_acme-corp")  # made by a person, long ago
    escalation_id = _escalation_id(uow, now)
    transport = slack_transport(slack, store)
    create, opening, _ = opening_messages(escalation_id)
    receipt = transport.deliver(create).data
    assert receipt["channel"] == "esc_acme-corp-2"
    posted = transport.deliver(opening).data
    assert posted["channel"] == "esc_acme-corp-2"
    assert len(slack.workspace.by_name("esc_acme-corp-2").messages) == 1  # type: ignore[union-attr]
    assert slack.workspace.by_name("esc_acme-corp").messages == []  # type: ignore[union-attr]


def test_a_customers_twenty_fifth_channel_is_made_past_the_archived_names_of_its_past(
    slack: SlackServer, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    for number in range(1, 25):  # two years of escalations, their channels archived at closing
        old = slack.workspace.add_channel("esc_acme" if number == 1 else f"esc_acme-{number}")
        old.is_archived = True
    transport = slack_transport(slack, store)
    made = transport.deliver(message("slack.create_channel", "#esc_acme", _escalation_id(uow, now)))
    assert made.data["channel"] == "esc_acme-25"
    creates = [call for call in slack.calls if call == "conversations.create"]
    assert len(creates) == 2, "one refusal, one look at the names, one create"


def test_two_escalations_of_one_customer_never_share_a_channel_nor_archive_each_other(
    slack: SlackServer, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    first, second = _escalation_id(uow, now), _escalation_id(uow, now)
    transport = slack_transport(slack, store)
    # Both ask for the same name, as two escalations of one customer did before R-ESC-12.
    one = transport.deliver(message("slack.create_channel", "#esc_acme", first)).data
    two = transport.deliver(message("slack.create_channel", "#esc_acme", second)).data
    assert (one["channel"], two["channel"]) == ("esc_acme", "esc_acme-2")
    transport.deliver(message("slack.archive", "#esc_acme", first))
    assert slack.workspace.channels[one["channel_id"]].is_archived
    assert not slack.workspace.channels[two["channel_id"]].is_archived
    update = message(
        "slack.post", "#esc_acme", second, template="update", customer="Acme", body="Fix deployed"
    )
    assert transport.deliver(update).data["channel_id"] == two["channel_id"]


def test_archiving_twice_is_fine_and_posting_after_archiving_is_refused_for_good(
    slack: SlackServer, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    escalation_id = _escalation_id(uow, now)
    transport = slack_transport(slack, store)
    transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id))
    transport.deliver(message("slack.archive", "#esc_acme", escalation_id))
    again = transport.deliver(message("slack.archive", "#esc_acme", escalation_id))
    assert again.data["archived"] is True
    post = message("slack.post", "#esc_acme", escalation_id, template="update", customer="A")
    with pytest.raises(DeliveryError) as failure:
        transport.deliver(post)
    assert failure.value.permanent and "archived" in failure.value.reason


def test_reopening_needs_a_user_token_because_slack_will_not_let_a_bot_unarchive(
    slack: SlackServer, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    escalation_id = _escalation_id(uow, now)
    cara = slack.workspace.add_user("cara@example.com", "Cara Diaz")
    bot_only = slack_transport(slack, store)
    created = bot_only.deliver(message("slack.create_channel", "#esc_acme", escalation_id)).data
    bot_only.deliver(message("slack.archive", "#esc_acme", escalation_id))
    invite = [{"email": "cara@example.com", "name": "Cara Diaz", "role": "dri"}]
    reopen = message("slack.unarchive", "#esc_acme", escalation_id, invite=invite)
    with pytest.raises(DeliveryError) as failure:
        bot_only.deliver(reopen)
    assert failure.value.permanent and "ESCDESK_SLACK_USER_TOKEN" in failure.value.reason
    receipt = slack_transport(slack, store, user_token=True).deliver(reopen).data
    channel = slack.workspace.channels[created["channel_id"]]
    assert receipt["archived"] is False and not channel.is_archived
    assert {BOT_USER, cara} <= channel.members
    assert not store.of_escalation(escalation_id).archived  # type: ignore[union-attr]


def test_a_channel_a_person_unarchived_in_slack_is_joined_without_a_user_token(
    slack: SlackServer, store: NotifyStore, uow: SqlUnitOfWork, now: datetime
) -> None:
    escalation_id = _escalation_id(uow, now)
    transport = slack_transport(slack, store)
    created = transport.deliver(message("slack.create_channel", "#esc_acme", escalation_id)).data
    transport.deliver(message("slack.archive", "#esc_acme", escalation_id))
    slack.workspace.channels[created["channel_id"]].is_archived = False  # done by hand
    transport.deliver(message("slack.unarchive", "#esc_acme", escalation_id))
    assert BOT_USER in slack.workspace.channels[created["channel_id"]].members
