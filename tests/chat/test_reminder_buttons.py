"""A reminder the scheduler wrote arrives with buttons; pressing one opens a modal whose
submission runs the same command as the pages, as the person who pressed."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from escdesk.domain.clock import Audience
from escdesk.domain.reminders import ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import run_pass
from escdesk.notify.worker import Worker
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.chat.conftest import CHANNEL, Room, slack_person
from tests.chat.response_server import ResponseUrl
from tests.chat.slack_client import button, interaction, submission
from tests.notify.conftest import slack_transport
from tests.notify.slack_server import SlackServer


def deliver_reminders(engine: Engine, slack: SlackServer, at: datetime) -> list[dict[str, Any]]:
    """One scheduler pass and one worker run at `at`; the blocks of each post with buttons."""
    if slack.workspace.by_name("escalated_customers") is None:
        slack.workspace.add_channel("escalated_customers")
    run_pass(
        lambda: SqlUnitOfWork(engine), at, DEFAULT_POLICY, ReminderPolicy(), "https://desk.example"
    )
    transport = slack_transport(slack, NotifyStore(engine, clock=lambda: at))
    worker = Worker(
        uow_factory=lambda: SqlUnitOfWork(engine),
        transports=[transport],
        clock=lambda: at,
        rng=random.Random(3),
    )
    worker.run_once()
    posts = slack.workspace.channels[CHANNEL].messages
    return [m.blocks for m in posts if m.blocks and len(m.blocks) > 1]


def overdue_moment(room: Room) -> datetime:
    due = room.escalation.next_internal_update_due
    assert due is not None
    return due + timedelta(minutes=1)


def buttons(blocks: dict[str, Any] | list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    actions = next(b for b in blocks if b["type"] == "actions")
    return {e["text"]["text"]: e for e in actions["elements"]}


def test_an_overdue_notice_carries_post_update_snooze_and_open(
    room: Room, engine: Engine, slack: SlackServer
) -> None:
    posted = deliver_reminders(engine, slack, overdue_moment(room))
    assert posted, "the overdue notice arrived with buttons"
    found = buttons(posted[0])
    assert list(found) == ["Post update", "Snooze 1 h", "Open in escdesk"]
    assert (
        found["Open in escdesk"]["url"] == f"https://desk.example/escalations/{room.escalation.id}"
    )
    assert "is overdue" in posted[0][0]["text"]["text"]
    value = json.loads(found["Post update"]["value"])
    assert value == {"escalation_id": room.escalation.id, "audience": "internal"}


def test_post_update_opens_a_modal_whose_submission_posts_the_update(
    client: TestClient,
    room: Room,
    engine: Engine,
    slack: SlackServer,
    uow: SqlUnitOfWork,
    response_url: ResponseUrl,
) -> None:
    posted = deliver_reminders(engine, slack, overdue_moment(room))
    press = buttons(posted[0])["Post update"]
    answer = interaction(
        client, button(press["action_id"], press["value"], room.dri_user, response_url.url, "7.7.x")
    )
    assert answer.status_code == 200
    assert slack.workspace.views[-1]["trigger_id"] == "7.7.x"
    view = slack.workspace.views[-1]["view"]
    assert view["title"]["text"] == "Internal update"
    done = interaction(client, submission(view, "Pool size doubled; watching", room.dri_user))
    assert done.json() == {"response_action": "clear"}
    with uow:
        update = uow.escalations.get(room.escalation.id).updates[-1]
    assert (update.body, update.audience, update.author_id) == (
        "Pool size doubled; watching",
        Audience.INTERNAL,
        room.dri.id,
    )


def test_an_empty_update_is_refused_under_the_input(
    client: TestClient, room: Room, engine: Engine, slack: SlackServer, response_url: ResponseUrl
) -> None:
    posted = deliver_reminders(engine, slack, overdue_moment(room))
    press = buttons(posted[0])["Post update"]
    interaction(client, button(press["action_id"], press["value"], room.dri_user, response_url.url))
    answer = interaction(client, submission(slack.workspace.views[-1]["view"], "  ", room.dri_user))
    body = answer.json()
    assert body["response_action"] == "errors"
    assert "text" in body["errors"]


def test_snooze_asks_the_reason_and_records_the_one_snooze(
    client: TestClient,
    room: Room,
    engine: Engine,
    slack: SlackServer,
    uow: SqlUnitOfWork,
    response_url: ResponseUrl,
) -> None:
    posted = deliver_reminders(engine, slack, overdue_moment(room))
    press = buttons(posted[0])["Snooze 1 h"]
    interaction(client, button(press["action_id"], press["value"], room.dri_user, response_url.url))
    view = slack.workspace.views[-1]["view"]
    assert view["title"]["text"] == "Snooze 1 hour"
    assert interaction(client, submission(view, "customer call at 11", room.dri_user)).json() == {
        "response_action": "clear"
    }
    with uow:
        snoozes = uow.escalations.get(room.escalation.id).snoozes
    assert [(s.audience, s.reason) for s in snoozes] == [(Audience.INTERNAL, "customer call at 11")]
    again = interaction(client, submission(view, "and again", room.dri_user)).json()
    assert again["response_action"] == "errors"
    assert "snoozed once" in again["errors"]["text"]


def test_a_button_pressed_by_someone_escdesk_does_not_know_opens_nothing(
    client: TestClient, room: Room, engine: Engine, slack: SlackServer, response_url: ResponseUrl
) -> None:
    posted = deliver_reminders(engine, slack, overdue_moment(room))
    press = buttons(posted[0])["Post update"]
    stranger = slack.workspace.add_user("stranger@elsewhere.example", "Stranger")
    interaction(client, button(press["action_id"], press["value"], stranger, response_url.url))
    answer = response_url.wait()[0]
    assert answer["response_type"] == "ephemeral"
    assert "is not a person in escdesk" in answer["text"]
    assert slack.workspace.views == []


def test_a_role_that_may_not_post_is_refused_at_submission(
    client: TestClient,
    room: Room,
    engine: Engine,
    slack: SlackServer,
    uow: SqlUnitOfWork,
    now: datetime,
    response_url: ResponseUrl,
) -> None:
    posted = deliver_reminders(engine, slack, overdue_moment(room))
    press = buttons(posted[0])["Post update"]
    sales = slack_person(uow, slack, now, "sales")
    interaction(client, button(press["action_id"], press["value"], sales, response_url.url))
    answer = interaction(client, submission(slack.workspace.views[-1]["view"], "hi", sales))
    assert "may not post update" in answer.json()["errors"]["text"]


def test_a_button_with_a_forged_value_is_refused_not_failed_on(
    client: TestClient, room: Room, response_url: ResponseUrl, slack: SlackServer
) -> None:
    interaction(client, button("esc.post_update", "not json", room.dri_user, response_url.url))
    answer = response_url.wait()[0]
    assert "*button*: does not carry what escdesk put in it" in answer["text"]
    assert slack.workspace.views == []
