"""Pages of retrospectives, fixes and interim releases (R-RCA-1/2, R-FIX-1/2)."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI

from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.web.pages import Visitor, text_of, visitor


def test_a_retrospective_is_written_on_its_page_and_refusals_shown_beside_the_form(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now - timedelta(days=2))
    to_monitoring(uow, esc, now=now - timedelta(days=1))
    with uow:
        retro = uow.retrospectives.for_escalation(esc.id or 0)
        assert retro is not None
        rid = retro.id
    page = text_of(manager.get(f"/retrospectives/{rid}").text)
    assert "opened the escalation" in page and "Heap dump shows the lock" in page

    refused = manager.post(f"/retrospectives/{rid}/complete", {"version": "1"})
    assert refused.status_code == 422 and "a root-cause category" in text_of(refused.text)

    saved = manager.post(
        f"/retrospectives/{rid}/describe",
        {"root_cause": "environment", "summary": "Disk full", "version": "1"},
    )
    assert "environment or infrastructure" in text_of(manager.follow(saved).text)
    manager.post(f"/retrospectives/{rid}/missed", {"text": "Disk alert was muted"})
    due = (now + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    added = manager.post(
        f"/retrospectives/{rid}/follow-ups",
        {"title": "Unmute disk alerts", "owner": manager.person.email, "due_at": due},
    )
    assert "Unmute disk alerts" in text_of(manager.follow(added).text)
    manager.post(f"/retrospectives/{rid}/follow-ups/1", {})
    done = manager.follow(manager.post(f"/retrospectives/{rid}/complete", {}))
    assert "The retrospective is completed" in text_of(done.text)
    exported = manager.get(f"/retrospectives/{rid}/export.md")
    assert exported.headers["content-type"].startswith("text/markdown")
    assert "- [x] Unmute disk alerts" in exported.text
    listing = text_of(manager.get("/retrospectives").text)
    assert "Follow-ups done on time" in listing and "100%" in listing


def test_a_fix_goes_from_the_form_through_review_into_a_shipped_release(
    manager: Visitor, app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now - timedelta(days=2))
    with uow:
        issue = RecurringIssue("Disk fills", now - timedelta(days=5), IssueStatus.CONFIRMED)
        uow.recurring.add(issue)
        uow.commit()
    with visitor(app, uow, now, "sales") as sales:
        assert sales.post("/fixes", {"title": "x", "kind": "patch"}).status_code == 403
    bad = manager.post(
        "/fixes",
        {
            "title": "Rotate logs",
            "kind": "pull_request",
            "url": "nope",
            "escalation": f"ESC-{esc.id}",
        },
    )
    assert bad.status_code == 422 and "is not an http(s) URL" in text_of(bad.text)
    sent = manager.post(
        "/fixes",
        {
            "title": "Rotate logs",
            "kind": "workaround",
            "content": "logrotate daily",
            "issue": str(issue.id),
        },
    )
    assert "review queue" in text_of(manager.follow(sent).text)
    accepted = manager.post("/fixes/1/review", {"decision": "accept", "version": "1"})
    assert "Fix 1 is accepted" in text_of(manager.follow(accepted).text)
    planned = manager.post("/releases", {"version": "9.9.1", "planned_on": str(now.date())})
    assert "9.9.1 is planned" in text_of(manager.follow(planned).text)
    manager.post("/releases/9.9.1/add", {"fix_id": "1"})
    shipped = manager.follow(manager.post("/releases/9.9.1/ship", {}))
    page = text_of(shipped.text)
    assert "9.9.1 shipped" in page and "1. Rotate logs (workaround)" in page
    fixed = text_of(manager.get(f"/recurring/{issue.id}").text)
    assert "fixed" in fixed and "release 9.9.1" in fixed


def test_engineering_work_is_linked_from_the_retrospective_page(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now - timedelta(days=2))
    to_monitoring(uow, esc, now=now - timedelta(days=1))
    with uow:
        retro = uow.retrospectives.for_escalation(esc.id or 0)
        assert retro is not None
        rid = retro.id
    bad = manager.post(f"/retrospectives/{rid}/links", {"url": "https://example.com/nope"})
    assert bad.status_code == 422 and "is not a Jira, GitHub or GitLab" in text_of(bad.text)
    url = "https://github.com/acme/app/pull/12"
    page = text_of(manager.follow(manager.post(f"/retrospectives/{rid}/links", {"url": url})).text)
    assert "Linked github acme/app#12" in page and "Github acme/app#12 unknown" in page
