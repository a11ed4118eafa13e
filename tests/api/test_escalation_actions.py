"""Every action on an escalation over the API, optimistic concurrency, and internal notes."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.access import ROLE_PERMISSIONS, Permission
from escdesk.domain.escalation import Escalation
from escdesk.domain.people import Role
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client


@pytest.fixture
def esc(uow: SqlUnitOfWork, now: datetime) -> Escalation:
    return factories.open_escalation(uow, now=now)


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def act(client: TestClient, esc: Escalation, action: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(f"/api/escalations/{esc.id}/{action}", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["etag"] == f'"{response.json()["version"]}"'
    result: dict[str, Any] = response.json()
    return result


def test_posting_updates_activates_and_keeps_the_audiences_apart(
    manager: TestClient, esc: Escalation
) -> None:
    act(manager, esc, "updates", {"audience": "internal", "body": "Heap dump taken"})
    body = act(manager, esc, "updates", {"audience": "customer", "body": "We found the cause"})
    assert body["status"] == "active"
    assert [(u["audience"], u["body"]) for u in body["updates"]] == [
        ("internal", "Heap dump taken"),
        ("customer", "We found the cause"),
    ]


def test_the_severity_changes_and_owners_follow_the_rules(
    manager: TestClient, esc: Escalation
) -> None:
    body = act(manager, esc, "severity", {"severity": "high", "reason": "CEO called"})
    assert body["severity"] == "high"
    assert body["owner_changes"][0]["role"] == "dri"  # R-ESC-2: the account's CSM runs it now


def test_eta_changes_are_kept_and_slips_counted(
    manager: TestClient, esc: Escalation, now: datetime
) -> None:
    body = act(manager, esc, "eta", {"eta": iso(now + timedelta(days=9)), "reason": "vendor"})
    assert body["eta"] == iso(now + timedelta(days=9))
    assert body["eta_slips"] == 1
    assert [c["slipped"] for c in body["eta_changes"]] == [False, True]


def test_exit_criteria_are_added_and_ticked_by_number(manager: TestClient, esc: Escalation) -> None:
    body = act(manager, esc, "exit-criteria", {"add": ["No errors for 3 days"], "done": [1]})
    assert [(c["number"], c["done"]) for c in body["exit_criteria"]] == [(1, True), (2, False)]


def test_the_dri_is_handed_over_with_a_reason(
    manager: TestClient, esc: Escalation, uow: SqlUnitOfWork, now: datetime
) -> None:
    other = factories.add_person(uow, "support", now=now)
    body = act(manager, esc, "dri", {"person": other.email, "reason": "holiday"})
    assert body["dri"]["id"] == other.id
    assert body["owner_changes"][-1]["reason"] == "holiday"


def test_the_lifecycle_runs_to_closed_and_back(
    manager: TestClient, esc: Escalation, now: datetime
) -> None:
    assert act(manager, esc, "monitor", {"note": "fix deployed"})["status"] == "monitoring"
    closed = act(
        manager,
        esc,
        "close",
        {
            "agreed_by": "Eve (CTO)",
            "agreed_at": iso(now),
            "agreed_via": "email",
            "waivers": [{"number": 1, "reason": "Eve agreed four days of measurements suffice"}],
        },
    )
    assert (closed["status"], closed["agreement"]["agreed_by"]) == ("closed", "Eve (CTO)")
    (criterion,) = closed["exit_criteria"]
    assert (criterion["done"], criterion["waived_reason"]) == (
        False,
        "Eve agreed four days of measurements suffice",
    )
    assert criterion["waived_at"] is not None and criterion["waived_by"] is not None
    reopened = act(manager, esc, "reopen", {"reason": "back again"})
    assert reopened["status"] == "active"
    assert reopened["exit_criteria"][0]["waived_reason"] is None


def test_closing_with_an_open_criterion_is_refused_naming_it_and_the_waivers_member(
    manager: TestClient, esc: Escalation, now: datetime
) -> None:
    agreed = {"agreed_by": "Eve (CTO)", "agreed_at": iso(now), "agreed_via": "email"}
    response = manager.post(f"/api/escalations/{esc.id}/close", json=agreed)
    assert response.status_code == 422, response.text
    (need,) = response.json()["needs"]
    assert need["fields"] == ["waivers"]
    assert "exit criterion 1" in need["need"]
    blank = {**agreed, "waivers": [{"number": 1, "reason": "  "}]}
    response = manager.post(f"/api/escalations/{esc.id}/close", json=blank)
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "waivers"
    too_many = {**agreed, "waivers": [{"number": 0, "reason": "x"}]}
    assert manager.post(f"/api/escalations/{esc.id}/close", json=too_many).status_code == 422
    assert manager.get(f"/api/escalations/{esc.id}").json()["status"] == "opened"


def test_closing_without_the_customers_agreement_is_refused_by_its_rule(
    manager: TestClient, esc: Escalation
) -> None:
    response = manager.post(f"/api/escalations/{esc.id}/close", json={})
    assert response.status_code == 422
    body = response.json()
    assert body["rule"] == "R-ESC-9" and body["missing"]
    assert body["needs"][0]["fields"] == ["agreed_by", "agreed_at", "agreed_via"]
    assert "--" not in response.text, "an API client is told JSON members, not CLI flags"
    assert manager.get(f"/api/escalations/{esc.id}").json()["status"] == "opened"


def test_a_stale_version_in_the_body_is_a_409_with_the_current_version(
    manager: TestClient, esc: Escalation
) -> None:
    act(manager, esc, "updates", {"audience": "customer", "body": "first", "version": esc.version})
    response = manager.post(
        f"/api/escalations/{esc.id}/updates",
        json={"audience": "customer", "body": "second", "version": esc.version},
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == esc.version + 1
    shown = manager.get(f"/api/escalations/{esc.id}").json()
    assert [u["body"] for u in shown["updates"]] == ["first"]


def test_if_match_carries_the_version_as_well(manager: TestClient, esc: Escalation) -> None:
    etag = manager.get(f"/api/escalations/{esc.id}").headers["etag"]
    body = {"note": "fix deployed"}
    ok = manager.post(f"/api/escalations/{esc.id}/monitor", json=body, headers={"If-Match": etag})
    assert ok.status_code == 200
    stale = manager.post(
        f"/api/escalations/{esc.id}/reopen", json={"reason": "x"}, headers={"If-Match": etag}
    )
    assert (stale.status_code, stale.json()["current_version"]) == (409, ok.json()["version"])


def test_a_body_version_and_if_match_that_disagree_are_refused(
    manager: TestClient, esc: Escalation
) -> None:
    response = manager.post(
        f"/api/escalations/{esc.id}/monitor",
        json={"note": "x", "version": esc.version},
        headers={"If-Match": f'"{esc.version + 5}"'},
    )
    assert (response.status_code, response.json()["field"]) == (422, "version")


def test_internal_updates_are_hidden_from_those_who_may_not_read_them(
    manager: TestClient, app: FastAPI, uow: SqlUnitOfWork, esc: Escalation, now: datetime
) -> None:
    act(manager, esc, "updates", {"audience": "internal", "body": "Customer is wrong, sigh"})
    act(manager, esc, "updates", {"audience": "customer", "body": "Patch ships Friday"})
    _, sales = person_client(app, uow, now, "sales")
    shown = sales.get(f"/api/escalations/{esc.id}")
    assert [u["body"] for u in shown.json()["updates"]] == ["Patch ships Friday"]
    assert "sigh" not in shown.text
    history = sales.get(f"/api/escalations/{esc.id}/history")
    assert "sigh" not in history.text and "Patch ships Friday" in history.text
    _, executive = person_client(app, uow, now, "executive")
    assert "sigh" in executive.get(f"/api/escalations/{esc.id}").text


def test_an_internal_update_needs_read_internal_even_with_post_update(
    app: FastAPI, uow: SqlUnitOfWork, esc: Escalation, now: datetime, monkeypatch: Any
) -> None:
    monkeypatch.setitem(
        ROLE_PERMISSIONS, Role.SALES, frozenset({Permission.READ, Permission.POST_UPDATE})
    )
    _, sales = person_client(app, uow, now, "sales")
    url = f"/api/escalations/{esc.id}/updates"
    assert sales.post(url, json={"audience": "internal", "body": "x"}).status_code == 403
    assert sales.post(url, json={"audience": "customer", "body": "x"}).status_code == 200


def test_the_actor_of_a_session_is_recorded_and_a_token_acts_for_nobody(
    manager: TestClient, robot: TestClient, esc: Escalation
) -> None:
    act(manager, esc, "updates", {"audience": "customer", "body": "by a person"})
    act(robot, esc, "updates", {"audience": "customer", "body": "by a machine"})
    trail = manager.get(f"/api/escalations/{esc.id}/history").json()["items"]
    actors = [i["actor"] for i in trail if i["type"] == "update_posted"]
    assert actors[0] is not None and actors[0]["name"] is not None
    assert actors[1] is None
