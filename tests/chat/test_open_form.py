"""`/esc open` opens the request form (R-INT-1), `/esc open escalation` the escalation form, as
modals; a submission files the request or opens the escalation as whoever submitted it, or
shows each refusal under the input it is about."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi.testclient import TestClient

from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.escalations import list_escalations
from escdesk.store.uow import SqlUnitOfWork
from tests.chat.conftest import slack_person
from tests.chat.slack_client import interaction, slash
from tests.factories import add_account, ask, open_escalation
from tests.notify.slack_server import SlackServer


def filled(view: dict[str, Any], **values: str) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for block in view["blocks"]:
        name, element = block["block_id"], block["element"]
        value = values.get(name, "")
        if element["type"] == "static_select":
            state[name] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
        else:
            state[name] = {"value": {"type": "plain_text_input", "value": value}}
    return {**view, "id": "V9", "state": {"values": state}}


def submit(client: TestClient, view: dict[str, Any], user: str) -> dict[str, Any]:
    payload = {"type": "view_submission", "user": {"id": user}, "view": view}
    answer: dict[str, Any] = interaction(client, payload).json()
    return answer


def open_form(
    client: TestClient, slack: SlackServer, user: str, command: str = "open escalation"
) -> dict[str, Any]:
    answer = slash(client, command, user, "CGENERAL")
    assert "form is open" in answer.json()["text"]
    view: dict[str, Any] = slack.workspace.views[-1]["view"]
    return view


def test_the_form_opens_an_escalation_run_by_whoever_submitted_it(
    client: TestClient, slack: SlackServer, uow: SqlUnitOfWork, now: datetime
) -> None:
    user = slack_person(uow, slack, now, "support")
    account = add_account(uow, now=now)
    view = open_form(client, slack, user)
    assert [b["block_id"] for b in view["blocks"]][:2] == ["account", "severity"]
    answer = submit(
        client,
        filled(
            view,
            account=account.name,
            severity="medium",
            route="support",
            kind="account_escalation",
            summary="Exports time out",
            initial_ask="An engineer on the customer's call",
            required_skills="PostgreSQL, exports",
        ),
        user,
    )
    assert answer == {"response_action": "clear"}, answer
    page = ask(uow, list_escalations, ListEscalations(account=account.name), now=now)
    assert [(e.summary, e.severity) for e in page.items] == [("Exports time out", "medium")]


def test_a_refusal_is_shown_under_the_input_it_names(
    client: TestClient, slack: SlackServer, uow: SqlUnitOfWork, now: datetime
) -> None:
    user = slack_person(uow, slack, now, "support")
    account = add_account(uow, now=now)
    view = open_form(client, slack, user)
    values = {"account": account.name, "severity": "medium", "route": "support"}
    values |= {"kind": "account_escalation", "summary": "Exports", "initial_ask": "Help"}
    answer = submit(client, filled(view, **values), user)  # no required skills (R-ESC-5)
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["required_skills"]
    assert "required skill" in answer["errors"]["required_skills"]


def test_someone_escdesk_does_not_know_gets_no_form(client: TestClient, slack: SlackServer) -> None:
    stranger = slack.workspace.add_user("stranger@elsewhere.example", "Stranger")
    answer = slash(client, "open", stranger, "CGENERAL").json()
    assert "is not a person in escdesk" in answer["text"]
    assert slack.workspace.views == []


def test_the_request_form_files_a_pending_request(
    client: TestClient, slack: SlackServer, uow: SqlUnitOfWork, now: datetime
) -> None:
    user = slack_person(uow, slack, now, "sales")
    account = add_account(uow, now=now)
    view = open_form(client, slack, user, "open")
    assert view["title"]["text"] == "Request an escalation"
    values = {
        "account": account.name,
        "kind": "account_escalation",
        "problem": "Nightly exports time out since the upgrade",
        "problem_type": "bug",
        "proposed_severity": "high",
        "workarounds": "Smaller batches; still fails",
        "difficulty": "unknown",
        "dependencies": "none",
        "other_customers": "2",
        "happiness_confirmed": "yes",
        "tickets": "4711 https://helpdesk.example/tickets/4711",
        "skills": "exports, PostgreSQL",
    }
    assert submit(client, filled(view, **values), user) == {"response_action": "clear"}
    with uow:
        requests = uow.requests.listing(limit=10)
    assert [r.problem for r in requests] == ["Nightly exports time out since the upgrade"]


def test_an_empty_request_names_every_missing_field_under_its_input(
    client: TestClient, slack: SlackServer, uow: SqlUnitOfWork, now: datetime
) -> None:
    user = slack_person(uow, slack, now, "sales")
    view = open_form(client, slack, user, "open")
    answer = submit(client, filled(view), user)
    assert answer["response_action"] == "errors"
    assert {"account", "problem", "problem_type", "workarounds"} <= set(answer["errors"])
    assert all(text.startswith("Needed: ") for text in answer["errors"].values())


def test_a_second_escalation_for_a_customer_is_refused_under_its_choice_until_meant(
    client: TestClient, slack: SlackServer, uow: SqlUnitOfWork, now: datetime
) -> None:
    user = slack_person(uow, slack, now, "support")
    account = add_account(uow, now=now, name="Globex")
    open_escalation(uow, now=now, account=account.name)
    view = open_form(client, slack, user)
    values = {"account": account.name, "severity": "medium", "route": "support"}
    values |= {"kind": "account_escalation", "summary": "Exports", "initial_ask": "Help"}
    values |= {"required_skills": "exports"}
    answer = submit(client, filled(view, **values), user)
    assert answer["response_action"] == "errors" and list(answer["errors"]) == ["also"]
    assert "Globex already has an open escalation" in answer["errors"]["also"]
    assert submit(client, filled(view, **values, also="yes"), user) == {"response_action": "clear"}
    page = ask(uow, list_escalations, ListEscalations(account=account.name), now=now)
    assert page.total == 2
