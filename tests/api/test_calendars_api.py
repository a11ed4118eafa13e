"""Working calendars over the API (R-SLA-1), with the explain tools the clocks use."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client

MUNICH = {
    "name": "munich",
    "timezone": "Europe/Berlin",
    "hours": ["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"],
    "holidays": "DE-BY",
    "closed": ["2026-12-24"],
}


def test_a_manager_adds_a_calendar_and_anyone_signed_in_asks_it_the_time(
    app: FastAPI, manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    added = manager.post("/api/calendars", json=MUNICH)
    assert added.status_code == 201, added.text
    body = added.json()
    assert body["hours"] == MUNICH["hours"] and body["closed"] == ["2026-12-24"]
    assert "2026-06-04" in body["holiday_dates"] and body["default"] is False
    _, support = person_client(app, uow, now, "support")
    due = support.get(
        "/api/calendars/munich/add-time",
        params={"start": "2026-11-06T16:30:00+01:00", "duration": "90m"},
    )
    assert due.status_code == 200, due.text
    assert datetime.fromisoformat(due.json()["due"]) == datetime.fromisoformat(
        "2026-11-09T10:30:00+01:00"
    )
    spent = support.get(
        "/api/calendars/munich/between",
        params={"start": "2026-11-06T14:00:00+01:00", "end": "2026-11-09T10:00:00+01:00"},
    )
    assert spent.json() == {"seconds": 7200}
    assert support.post("/api/calendars", json={**MUNICH, "name": "x"}).status_code == 403
    assert manager.post("/api/calendars/munich/default").json()["default"] is True
    assert [c["name"] for c in support.get("/api/calendars").json()["items"]] == ["munich"]


def test_an_account_gets_a_calendar(manager: TestClient, uow: SqlUnitOfWork, now: datetime) -> None:
    account = factories.add_account(uow, now=now)
    assert manager.post("/api/calendars", json=MUNICH).status_code == 201
    put = manager.put(f"/api/accounts/{account.name}/calendar", json={"calendar": "munich"})
    assert put.status_code == 200, put.text
    with uow:
        assert uow.calendars.for_account(account.id or 0).name == "munich"
    missing = manager.put(f"/api/accounts/{account.name}/calendar", json={"calendar": "nope"})
    assert missing.status_code == 404


def test_bad_input_names_the_field_and_the_fix(manager: TestClient) -> None:
    bad = manager.post("/api/calendars", json={**MUNICH, "hours": ["mon 9-5"]})
    assert bad.status_code == 422
    assert "hours" in bad.text and "HH:MM" in bad.text
    manager.post("/api/calendars", json=MUNICH)
    duration = manager.get(
        "/api/calendars/munich/add-time", params={"start": "2026-11-06T16:30", "duration": "x"}
    )
    assert duration.status_code == 422 and "duration" in duration.text
    assert manager.get("/api/calendars/nope").status_code == 404
    assert manager.get(
        "/api/calendars/24x7/add-time", params={"start": "2026-11-06T16:30Z", "duration": "1h"}
    ).json() == {"due": "2026-11-06T17:30:00Z"}


def test_breaches_are_served_to_readers(
    app: FastAPI, manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    from datetime import timedelta

    from escdesk.domain.reminders import ReminderPolicy
    from escdesk.domain.severity import DEFAULT_POLICY
    from escdesk.notify.scheduler import run_pass

    esc = factories.open_escalation(uow, now=now - timedelta(days=8), severity="medium")
    run_pass(lambda: SqlUnitOfWork(uow.engine), now, DEFAULT_POLICY, ReminderPolicy(), "x")
    body = manager.get("/api/breaches").json()
    assert {(b["escalation_id"], b["audience"]) for b in body["items"]} == {
        (esc.id, "internal"),
        (esc.id, "customer"),
    }
    assert body["by_severity"] == {"medium": 2} and body["open"] == 2
    assert body["items"][0]["late_seconds"] == 86400


def test_the_api_shows_what_is_late_from_the_same_read_model(
    manager: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    from datetime import timedelta

    esc = factories.open_escalation(uow, now=now - timedelta(days=8), severity="medium")
    shown = manager.get(f"/api/escalations/{esc.id}").json()["late"]
    assert shown["overdue"] == ["internal", "customer"] and shown["days_open"] == 8
    assert shown["working_seconds_left"] == {"internal": -86400, "customer": -86400}
    listed = manager.get("/api/escalations").json()["items"][0]["late"]
    assert listed["overdue"] == ["internal", "customer"] and listed["paused"] == []
