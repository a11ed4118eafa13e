"""Every /esc command end to end: a signed request through the ASGI app, run as the person
Slack names, refused by the same rules as on the web."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi.testclient import TestClient

from escdesk.domain.clock import Audience
from escdesk.domain.records import Status
from escdesk.domain.severity import Severity
from escdesk.store.uow import SqlUnitOfWork
from tests.chat.conftest import CHANNEL, Room, slack_person
from tests.chat.slack_client import slash
from tests.notify.slack_server import SlackServer


def text_of(client: TestClient, command: str, user: str, channel: str = CHANNEL) -> str:
    answer = slash(client, command, user, channel)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["response_type"] == "ephemeral"
    return str(body["text"])


def escalation(uow: SqlUnitOfWork, room: Room):  # type: ignore[no-untyped-def]
    assert room.escalation.id is not None
    with uow:
        return uow.escalations.get(room.escalation.id)


def test_help_lists_every_command(client: TestClient, room: Room) -> None:
    text = text_of(client, "help", room.dri_user)
    for word in ("status", "update", "eta", "severity", "dri", "exit", "monitor", "close"):
        assert f"/esc {word}" in text


def test_status_is_the_tracker_summary(client: TestClient, room: Room) -> None:
    text = text_of(client, "status", room.dri_user)
    assert f"ESC-{room.escalation.id}" in text
    assert "Severity: *medium*" in text
    assert "DRI: Dana Reyes" in text
    assert "Next updates due: internal 2026-11-" in text
    assert "ETA: 2026-11-09 09:00 UTC" in text
    assert "1. p95 pipeline start under 30 s for a week" in text


def test_an_update_is_internal_by_default(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    text = text_of(client, "update Logs point at the connection pool", room.dri_user)
    assert "Internal update posted" in text
    update = escalation(uow, room).updates[-1]
    assert (update.audience, update.body) == (
        Audience.INTERNAL,
        "Logs point at the connection pool",
    )
    assert update.author_id == room.dri.id


def test_a_customer_update_is_previewed_not_posted(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    answer = slash(client, "update --customer We found the cause", room.dri_user, CHANNEL).json()
    assert "The customer will read" in answer["blocks"][0]["text"]["text"]
    assert ">We found the cause" in answer["blocks"][0]["text"]["text"]
    labels = [b["text"]["text"] for b in answer["blocks"][1]["elements"]]
    assert labels == ["Post to the customer", "Cancel"]
    assert not [u for u in escalation(uow, room).updates if u.audience is Audience.CUSTOMER]


def test_an_update_without_text_names_what_is_missing(client: TestClient, room: Room) -> None:
    assert "*body*: the update has no text" in text_of(client, "update", room.dri_user)


def test_eta_is_set_with_a_reason(
    client: TestClient, room: Room, uow: SqlUnitOfWork, now: datetime
) -> None:
    text = text_of(client, "eta +3d the fix ships on Thursday", room.dri_user)
    assert "ETA set to 2026-11-05 09:00 UTC" in text
    esc = escalation(uow, room)
    assert esc.eta == now + timedelta(days=3)
    assert esc.eta_changes[-1].reason == "the fix ships on Thursday"


def test_an_eta_that_is_not_a_moment_is_refused(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    text = text_of(client, "eta tomorrow-ish because", room.dri_user)
    assert "*eta*: 'tomorrow-ish' is not a date and time" in text
    assert escalation(uow, room).eta == room.escalation.eta


def test_an_eta_without_a_reason_is_refused(client: TestClient, room: Room) -> None:
    assert "*reason*: is missing" in text_of(client, "eta +3d", room.dri_user)


def test_the_dri_changes_the_severity_of_their_escalation(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    text = text_of(client, "severity high the outage spread to EU", room.dri_user)
    assert "severity is now high" in text
    assert escalation(uow, room).severity is Severity.HIGH


def test_a_role_that_may_not_change_severity_is_refused(
    client: TestClient, room: Room, uow: SqlUnitOfWork, slack: SlackServer, now: datetime
) -> None:
    executive = slack_person(uow, slack, now, "executive")
    text = text_of(client, "severity critical looks bad", executive)
    assert text.startswith(":no_entry:")
    assert "may not change severity" in text
    assert escalation(uow, room).severity is Severity.MEDIUM


def test_sales_may_not_post_an_update(
    client: TestClient, room: Room, uow: SqlUnitOfWork, slack: SlackServer, now: datetime
) -> None:
    sales = slack_person(uow, slack, now, "sales")
    assert "may not post update" in text_of(client, "update hello", sales)
    assert escalation(uow, room).updates == room.escalation.updates


def test_a_bad_severity_names_the_levels(client: TestClient, room: Room) -> None:
    assert "*severity*" in text_of(client, "severity urgent because", room.dri_user)


def test_the_dri_is_handed_over_to_a_mentioned_person(
    client: TestClient, room: Room, uow: SqlUnitOfWork, slack: SlackServer, now: datetime
) -> None:
    other = slack_person(uow, slack, now, "support")
    text = text_of(client, f"dri <@{other}|kim> Dana is on leave", room.dri_user)
    assert "DRI handed over" in text
    new_dri = escalation(uow, room).dri_id
    with uow:
        assert uow.people.get(new_dri).email == slack.workspace.users_by_id(other)["email"]


def test_exit_criteria_are_added_and_ticked(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    assert "exit criteria changed" in text_of(client, "exit add No stall for 3 days", room.dri_user)
    assert "exit criteria changed" in text_of(client, "exit done 1", room.dri_user)
    criteria = escalation(uow, room).exit_criteria
    assert [(c.text, c.done) for c in criteria] == [
        ("p95 pipeline start under 30 s for a week", True),
        ("No stall for 3 days", False),
    ]


def test_an_exit_change_that_is_not_one_is_refused(client: TestClient, room: Room) -> None:
    assert "*exit_criteria*" in text_of(client, "exit done first", room.dri_user)


def test_monitor_moves_to_monitoring(client: TestClient, room: Room, uow: SqlUnitOfWork) -> None:
    assert "moved to monitoring" in text_of(client, "monitor fix deployed", room.dri_user)
    assert escalation(uow, room).status is Status.MONITORING


def test_closing_without_the_customers_agreement_names_what_is_missing(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    text = text_of(client, "close", room.dri_user)
    assert "Refused (R-ESC-9)" in text
    assert "the customer's agreement: who, when and how" in text
    assert "agreed_by=NAME" in text and "agreed_via=email" in text
    assert escalation(uow, room).closed_at is None


def test_closing_with_the_customers_agreement_closes(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    command = 'close agreed_by="Jo Chen" agreed_at=2026-11-02T09:00 agreed_via=email'
    refused = text_of(client, command, room.dri_user)
    assert "exit criterion 1" in refused and 'waiveN="why"' in refused
    assert escalation(uow, room).status is Status.OPENED
    waived = f'{command} waive1="Jo agreed five days of measurements suffice"'
    assert "closed" in text_of(client, waived, room.dri_user)
    esc = escalation(uow, room)
    assert esc.status is Status.CLOSED
    assert esc.agreement is not None and esc.agreement.who == "Jo Chen"
    assert esc.exit_criteria[0].waived_reason == "Jo agreed five days of measurements suffice"


def test_half_an_agreement_is_refused(client: TestClient, room: Room) -> None:
    text = text_of(client, "close agreed_by=Jo", room.dri_user)
    assert "when" in text and "agreed_at=" in text


def test_waiting_on_the_customer_pauses_and_resume_restarts_the_clock(
    client: TestClient, room: Room, uow: SqlUnitOfWork
) -> None:
    assert "clock is paused" in text_of(client, "wait-customer asked for their logs", room.dri_user)
    assert escalation(uow, room).next_customer_update_due is None
    assert "runs again" in text_of(client, "resume", room.dri_user)
    assert escalation(uow, room).next_customer_update_due is not None


def test_list_shows_my_escalations_anywhere(client: TestClient, room: Room) -> None:
    text = text_of(client, "list", room.dri_user, channel="CGENERAL")
    assert f"ESC-{room.escalation.id}" in text
    assert "DRI Dana Reyes" in text


def test_list_by_severity(client: TestClient, room: Room) -> None:
    assert "No open escalations match" in text_of(client, "list critical", room.dri_user)
    assert f"ESC-{room.escalation.id}" in text_of(client, "list medium", room.dri_user)


def test_a_command_outside_an_escalation_channel_says_where_to_run_it(
    client: TestClient, room: Room
) -> None:
    text = text_of(client, "status", room.dri_user, channel="CGENERAL")
    assert "not an escalation's channel" in text
    assert "/esc list" in text


def test_an_unknown_word_points_at_help(client: TestClient, room: Room) -> None:
    assert "See /esc help" in text_of(client, "escalate-harder", room.dri_user)


def test_a_slack_user_escdesk_does_not_know_is_refused(
    client: TestClient, room: Room, uow: SqlUnitOfWork, slack: SlackServer
) -> None:
    stranger = slack.workspace.add_user("stranger@elsewhere.example", "Stranger")
    text = text_of(client, "update I am not from here", stranger)
    assert "stranger@elsewhere.example is not a person in escdesk" in text
    assert "nothing was done" in text
    assert escalation(uow, room).updates == room.escalation.updates


def test_a_user_slack_does_not_know_is_refused(client: TestClient, room: Room) -> None:
    text = text_of(client, "status", "UNOBODY1")
    assert "Slack would not say who UNOBODY1 is" in text
