"""A person's calendar feed: a secret link to every standup they attend (R-ESC-10)."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine

from escdesk.notify.calendar import Attendee, StandupCadence
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client


def _standup(
    store: NotifyStore, escalation_id: int, message_id: int, now: datetime, *emails: str
) -> None:
    cadence = StandupCadence(
        days=("MO", "TH"),
        time=datetime(2026, 1, 1, 9, 15).time(),
        timezone="America/New_York",
        attendees=tuple(Attendee(e, e) for e in emails),
        escalation_id=escalation_id,
        tracker_url=f"https://desk.example/escalations/{escalation_id}/tracker",
        customer="Acme Corp",
    )
    store.revise(
        uid=cadence.uid("escdesk.example"),
        escalation_id=escalation_id,
        message_id=message_id,
        cadence=cadence.to_payload(),
        attendees=list(emails),
        cancelled=False,
        now=now,
    )


def test_the_feed_lists_every_standup_its_owner_attends_and_nothing_else(
    app: FastAPI, anonymous: TestClient, uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    store = NotifyStore(engine, clock=lambda: now)
    person, client = person_client(app, uow, now, "csm")
    first = factories.open_escalation(uow, now=now)
    second = factories.open_escalation(uow, now=now)
    other = factories.open_escalation(uow, now=now)
    assert first.id and second.id and other.id
    _standup(store, first.id, 1, now, person.email, "pat@escdesk.example")
    _standup(store, second.id, 2, now, person.email)
    _standup(store, other.id, 3, now, "pat@escdesk.example")
    link = client.post("/api/calendar-feed")
    assert link.status_code == 200, link.text
    assert client.post("/api/calendar-feed").json()["token"] == link.json()["token"]
    ics = anonymous.get(link.json()["path"])
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert sorted(str(e["UID"]) for e in events) == sorted(
        f"standup-escalation-{i}@escdesk.example" for i in (first.id, second.id)
    )
    assert all(e["RRULE"]["BYDAY"] == ["MO", "TH"] for e in events)


def test_a_rotated_or_withdrawn_link_answers_not_found(
    app: FastAPI, anonymous: TestClient, uow: SqlUnitOfWork, now: datetime
) -> None:
    _, client = person_client(app, uow, now, "support")
    old = client.post("/api/calendar-feed").json()["path"]
    new = client.post("/api/calendar-feed?rotate=true").json()["path"]
    assert anonymous.get(old).status_code == 404
    assert anonymous.get(new).status_code == 200
    assert client.delete("/api/calendar-feed").status_code == 204
    assert anonymous.get(new).status_code == 404
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404


def test_an_api_token_has_no_feed_of_its_own(robot: TestClient) -> None:
    answer = robot.post("/api/calendar-feed")
    assert answer.status_code == 422 and "person" in answer.text
