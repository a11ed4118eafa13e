"""Past Slack's three seconds the request is acknowledged at once and the answer travels to the
`response_url`; a confirmed customer update replaces its preview there."""

from __future__ import annotations

import threading
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.clock import Audience
from escdesk.store.uow import SqlUnitOfWork
from tests.chat.conftest import CHANNEL, Room
from tests.chat.response_server import ResponseUrl
from tests.chat.slack_client import button, command_body, interaction, post_signed, slash


class SlowSlack:
    """The bot's Web API, answering only once the test lets it (a slow day at Slack)."""

    def __init__(self, web: Any) -> None:
        self.web = web
        self.go = threading.Event()

    def call(self, method: str, **args: Any) -> dict[str, Any]:
        assert self.go.wait(10), "the test never let Slack answer"
        answer: dict[str, Any] = self.web.call(method, **args)
        return answer


def test_a_slow_answer_is_acknowledged_then_posted_to_the_response_url(
    app: FastAPI, client: TestClient, room: Room, uow: SqlUnitOfWork, response_url: ResponseUrl
) -> None:
    desk = app.state.chat
    desk.answering.budget = 0.2
    desk.people.web = slow = SlowSlack(desk.people.web)
    body = command_body("update Still digging", room.dri_user, CHANNEL, response_url.url)
    answer = post_signed(client, "/slack/commands", body)  # while Slack has not answered
    assert "Working on it" in answer.json()["text"]
    assert response_url.answers == []
    slow.go.set()
    late = response_url.wait()
    assert late == [{"text": late[0]["text"], "response_type": "ephemeral"}]
    assert "Internal update posted" in late[0]["text"]
    with uow:
        assert uow.escalations.get(room.escalation.id).updates[-1].body == "Still digging"


def test_an_answer_in_time_is_not_posted_twice(
    client: TestClient, room: Room, response_url: ResponseUrl
) -> None:
    body = command_body("status", room.dri_user, CHANNEL, response_url.url)
    assert "Severity" in post_signed(client, "/slack/commands", body).json()["text"]
    assert response_url.wait(timeout=0.5) == []


def test_a_confirmed_customer_update_is_posted_and_replaces_its_preview(
    client: TestClient, room: Room, uow: SqlUnitOfWork, response_url: ResponseUrl
) -> None:
    preview = slash(client, "update --customer The fix ships Thursday", room.dri_user, CHANNEL)
    confirm = preview.json()["blocks"][1]["elements"][0]
    pressed = button(confirm["action_id"], confirm["value"], room.dri_user, response_url.url)
    assert interaction(client, pressed).status_code == 200
    answer = response_url.wait()[0]
    assert answer["replace_original"] is True
    assert "customer update posted" in answer["text"]
    with uow:
        update = uow.escalations.get(room.escalation.id).updates[-1]
    assert (update.audience, update.body) == (Audience.CUSTOMER, "The fix ships Thursday")


def test_cancel_deletes_the_preview(
    client: TestClient, room: Room, uow: SqlUnitOfWork, response_url: ResponseUrl
) -> None:
    preview = slash(client, "update --customer Not yet", room.dri_user, CHANNEL)
    cancel = preview.json()["blocks"][1]["elements"][1]
    interaction(
        client, button(cancel["action_id"], cancel["value"], room.dri_user, response_url.url)
    )
    assert response_url.wait()[0] == {"delete_original": True}
    with uow:
        updates = uow.escalations.get(room.escalation.id).updates
    assert not [u for u in updates if u.audience is Audience.CUSTOMER]
