"""The retrospective, fix and release API end to end (R-RCA-1/2, R-FIX-1/2/3, R-OPS-2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI

from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.api.access import person_client


def test_a_retrospective_is_written_exported_and_its_follow_ups_tracked_over_the_api(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now - timedelta(days=3))
    to_monitoring(uow, esc, now=now - timedelta(days=1))
    owner, support = person_client(app, uow, now, "support")
    _, sales = person_client(app, uow, now, "sales")

    retro = support.get(f"/api/escalations/{esc.id}/retrospective").json()
    rid = retro["id"]
    assert retro["timeline"][0]["what"] == "opened the escalation"
    line = next(t for t in retro["timeline"] if "Heap dump" in t["detail"])
    support.post(f"/api/retrospectives/{rid}/annotations",
                 json={"event_id": line["event_id"], "note": "Page Engineering here"})  # fmt: skip
    bad = support.patch(f"/api/retrospectives/{rid}", json={"root_cause": "user error"})
    assert bad.status_code == 422 and "root_cause" in bad.text
    support.patch(f"/api/retrospectives/{rid}",
                  json={"root_cause": "missing_capability", "summary": "Scripts held it up",
                        "internal_notes": "Keep between us"})  # fmt: skip
    support.post(f"/api/retrospectives/{rid}/missed-opportunities",
                 json={"text": "The forum post in March"})  # fmt: skip
    due = (now + timedelta(days=5)).isoformat()
    added = support.post(
        f"/api/retrospectives/{rid}/follow-ups",
        json={"title": "Ship the bulk API", "owner": owner.email, "due_at": due},
    )
    assert added.status_code == 200, added.text
    assert added.json()["follow_ups"][0]["team"] == "support"
    assert sales.post(f"/api/retrospectives/{rid}/follow-ups/1", json={}).status_code == 403
    ticked = support.post(f"/api/retrospectives/{rid}/follow-ups/1", json={})
    assert ticked.json()["follow_ups"][0]["done_at"] is not None
    done = support.post(f"/api/retrospectives/{rid}/complete", json={})
    assert done.json()["status"] == "completed"

    shared = sales.get(f"/api/retrospectives/{rid}/export")
    assert shared.headers["content-type"].startswith("text/markdown")
    assert "Page Engineering here" in shared.text and "Keep between us" not in shared.text
    assert sales.get(f"/api/retrospectives/{rid}").json()["internal_notes"] is None
    assert "Keep between us" in support.get(f"/api/retrospectives/{rid}/export").text
    shares = support.get("/api/follow-ups/shares").json()
    assert shares["by_root_cause"]["missing_capability"]["on_time"] == 1
    listed = support.get("/api/retrospectives", params={"all": "true"}).json()["items"]
    assert [r["id"] for r in listed] == [rid]


def test_a_fix_is_reviewed_ranked_and_shipped_over_the_api(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now - timedelta(days=3))
    with uow:
        issue = RecurringIssue("Exports time out", now - timedelta(days=20), IssueStatus.CONFIRMED)
        uow.recurring.add(issue)
        uow.commit()
    _, support = person_client(app, uow, now, "support")
    _, engineer = person_client(app, uow, now, "product")

    first = support.post(
        "/api/fixes",
        json={
            "title": "Stream exports",
            "kind": "pull_request",
            "escalation_id": esc.id,
            "recurring_issue_id": issue.id,
            "url": "https://gitlab.com/acme/app/-/merge_requests/7",
        },
    )
    assert first.status_code == 201, first.text
    second = support.post("/api/fixes", json={
        "title": "Smaller pages", "kind": "patch", "escalation_id": esc.id,
        "content": "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-1000\n+500\n"})  # fmt: skip
    bad = support.post("/api/fixes", json={"title": "x", "kind": "hotfix", "escalation_id": esc.id})
    assert bad.status_code == 422 and "kind" in bad.text
    queue = engineer.get("/api/fixes/queue").json()["items"]
    assert [f["id"] for f in queue] == [first.json()["id"], second.json()["id"]]
    assert support.post(f"/api/fixes/{first.json()['id']}/review",
                        json={"decision": "accept"}).status_code == 403  # fmt: skip
    for fix in (first.json(), second.json()):
        engineer.post(f"/api/fixes/{fix['id']}/review", json={"decision": "accept"})

    plan = support.post("/api/releases", json={"version": "4.2.1", "planned_on": str(now.date())})
    assert plan.status_code == 201, plan.text
    for fix in (first.json(), second.json()):
        support.post("/api/releases/4.2.1/fixes", json={"fix_id": fix["id"]})
    ranked = support.post("/api/releases/4.2.1/rank",
                          json={"fix_id": second.json()["id"], "position": 1}).json()  # fmt: skip
    assert ranked["fix_ids"] == [second.json()["id"], first.json()["id"]]
    assert ranked["notes"].splitlines()[2].startswith("1. Smaller pages")
    assert support.post("/api/releases/4.2.1/ship", json={}).status_code == 403
    shipped = engineer.post("/api/releases/4.2.1/ship", json={}).json()
    assert shipped["status"] == "shipped"
    assert all(f["status"] == "shipped" for f in shipped["fixes"])
    fixed = support.get(f"/api/recurring/{issue.id}").json()
    assert fixed["status"] == "fixed" and fixed["release"] == "4.2.1"
    lead = support.get("/api/fixes/lead-time").json()
    assert lead["shipped"] == 2 and lead["longest_days"] == 20.0


def test_engineering_links_are_added_listed_and_refused_over_the_api(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now - timedelta(days=1))
    _, support = person_client(app, uow, now, "support")
    _, sales = person_client(app, uow, now, "sales")
    url = "https://gitlab.com/acme/app/-/merge_requests/7"
    added = support.post(f"/api/escalations/{esc.id}/links", json={"url": url})
    assert added.status_code == 201, added.text
    assert (added.json()["tracker"], added.json()["key"]) == ("gitlab", "acme/app!7")
    again = support.post(f"/api/escalations/{esc.id}/links", json={"url": url})
    assert again.status_code == 422 and "already linked" in again.text
    bad = support.post(f"/api/escalations/{esc.id}/links", json={"url": "https://x.org/y"})
    assert bad.status_code == 422 and bad.json()["field"] == "url"
    assert sales.post(f"/api/escalations/{esc.id}/links", json={"url": url}).status_code == 403
    listed = sales.get(f"/api/escalations/{esc.id}/links").json()["items"]
    assert [link["key"] for link in listed] == ["acme/app!7"]
    assert sales.delete(f"/api/links/{listed[0]['id']}").status_code == 403
    assert support.delete(f"/api/links/{listed[0]['id']}").status_code == 200
    assert support.get(f"/api/escalations/{esc.id}/links").json()["items"] == []
