"""Over the API: a follow-up's "create in tracker" (queued, 202; a missing setting named) and
the engineering links and fixes of an escalation request."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine, select

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.deps import get_now
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.api.access import open_session, person_client, signed_in
from tests.factories import add_person
from tests.request_factories import file_request


def test_a_follow_up_is_queued_for_its_tracker_issue_and_a_missing_setting_is_named(
    app: FastAPI, uow: SqlUnitOfWork, engine: Engine, database_url: str, now: datetime,
    tmp_path: Path,
) -> None:  # fmt: skip
    esc = engineering_escalation(uow, now=now - timedelta(days=3))
    to_monitoring(uow, esc, now=now - timedelta(days=1))
    owner, support = person_client(app, uow, now, "support")
    rid = support.get(f"/api/escalations/{esc.id}/retrospective").json()["id"]
    due = (now + timedelta(days=5)).isoformat()
    action = {"title": "Ship the bulk API", "owner": owner.email, "due_at": due}
    support.post(f"/api/retrospectives/{rid}/follow-ups", json=action)
    refused = support.post(f"/api/retrospectives/{rid}/follow-ups/1/tracker-issue", json={})
    assert refused.status_code == 422
    assert "ESCDESK_GITHUB_REPO" in refused.text and "tracker" in refused.text

    settings = Settings(database_url=database_url, index_dir=tmp_path / "index",
                        github_repo="acme/app", github_token="ghp_real")  # fmt: skip
    configured = create_app(settings, engine)
    configured.dependency_overrides[get_now] = lambda: now
    client = signed_in(configured, open_session(uow, owner, now))
    queued = client.post(f"/api/retrospectives/{rid}/follow-ups/1/tracker-issue", json={})
    assert queued.status_code == 202, queued.text
    assert queued.json()["follow_ups"][0]["tracker_requested_at"] is not None
    again = client.post(f"/api/retrospectives/{rid}/follow-ups/1/tracker-issue", json={})
    assert again.status_code == 409, again.text
    with SqlUnitOfWork(engine) as reading:
        rows = list(reading.session.execute(
            select(OutboxRow.kind, OutboxRow.destination, OutboxRow.state)
            .where(OutboxRow.kind == "tracker.create_issue")))  # fmt: skip
    assert [tuple(r) for r in rows] == [("tracker.create_issue", "github:acme/app", "pending")]


def test_a_request_takes_links_and_fixes_over_the_api(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    seller, sales = person_client(app, uow, now, "sales")
    _, support = person_client(app, uow, now, "support")
    request = file_request(uow, now=now, by=seller.email)
    url = "https://gitlab.com/acme/app/-/issues/5"
    linked = sales.post(f"/api/requests/{request.id}/links", json={"url": url})
    assert linked.status_code == 201, linked.text
    assert linked.json()["subject_type"] == "request" and linked.json()["key"] == "acme/app#5"
    other = add_person(uow, "sales", now=now)
    stranger = signed_in(app, open_session(uow, other, now))
    assert stranger.post(f"/api/requests/{request.id}/links",
                         json={"url": url + "0"}).status_code == 403  # fmt: skip
    listed = support.get(f"/api/requests/{request.id}/links").json()["items"]
    assert [item["key"] for item in listed] == ["acme/app#5"]
    fix = support.post("/api/fixes", json={"title": "Page the export", "kind": "workaround",
                                           "content": "Export by month",
                                           "request_id": request.id})  # fmt: skip
    assert fix.status_code == 201, fix.text
    assert fix.json()["request_id"] == request.id
    mine = support.get("/api/fixes", params={"request_id": request.id}).json()["items"]
    assert [f["id"] for f in mine] == [fix.json()["id"]]
    assert support.post("/api/fixes", json={"title": "x", "kind": "workaround", "content": "y",
                                            "request_id": 9999}).status_code == 404  # fmt: skip
