"""On the pages: a follow-up's "Create in tracker" button (R-RCA-2), and a request's engineering
work and support-written fixes (R-FIX-1), refusals shown beside their forms."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI
from sqlalchemy import Engine

from escdesk.asgi import create_app
from escdesk.config import Settings
from escdesk.http.deps import get_now
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.request_factories import file_request
from tests.web.pages import Clock, Visitor, text_of, visitor


def _retro_with_follow_up(manager: Visitor, uow: SqlUnitOfWork, now: datetime) -> int:
    esc = engineering_escalation(uow, now=now - timedelta(days=2))
    to_monitoring(uow, esc, now=now - timedelta(days=1))
    with uow:
        retro = uow.retrospectives.for_escalation(esc.id or 0)
        assert retro is not None and retro.id is not None
        rid = retro.id
    due = (now + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    action = {"title": "Unmute disk alerts", "owner": manager.person.email, "due_at": due}
    manager.post(f"/retrospectives/{rid}/follow-ups", action)
    return rid


def test_create_in_tracker_names_a_missing_setting_then_queues_the_issue(
    manager: Visitor, uow: SqlUnitOfWork, engine: Engine, database_url: str, clock: Clock,
    now: datetime, tmp_path: Path,
) -> None:  # fmt: skip
    rid = _retro_with_follow_up(manager, uow, now)
    page = text_of(manager.get(f"/retrospectives/{rid}").text)
    assert "Create in tracker" in page
    refused = manager.post(f"/retrospectives/{rid}/follow-ups/1/tracker-issue", {"tracker": ""})
    assert refused.status_code == 422
    assert "ESCDESK_JIRA_PROJECT" in text_of(refused.text)

    settings = Settings(database_url=database_url, index_dir=tmp_path / "index",
                        jira_api_url="https://acme.atlassian.net", jira_token="jt",
                        jira_project="APP")  # fmt: skip
    configured: FastAPI = create_app(settings, engine)
    configured.dependency_overrides[get_now] = lambda: clock.now
    with visitor(configured, uow, now, "manager", name="Mo Manager") as mo:
        bad = mo.post(f"/retrospectives/{rid}/follow-ups/1/tracker-issue",
                      {"tracker": "jira", "project": "not a key"})  # fmt: skip
        assert bad.status_code == 422 and "not a Jira project key" in text_of(bad.text)
        queued = mo.post(f"/retrospectives/{rid}/follow-ups/1/tracker-issue", {"tracker": "jira"})
        shown = text_of(mo.follow(queued).text)
    assert "the issue in Jira APP is being created" in shown
    assert "tracker issue being created" in shown and "Create in tracker" not in shown


def test_a_request_page_takes_engineering_work_and_a_fix(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    request = file_request(uow, now=now)
    page = text_of(manager.get(f"/requests/{request.id}").text)
    assert "No linked issue or pull request" in page and "No fix attached" in page
    bad = manager.post(f"/requests/{request.id}/links", {"url": "https://example.com/x"})
    assert bad.status_code == 422 and "is not a Jira, GitHub or GitLab" in text_of(bad.text)
    linked = manager.post(f"/requests/{request.id}/links",
                          {"url": "https://github.com/acme/app/issues/12"})  # fmt: skip
    assert "the requester is told when it closes" in text_of(manager.follow(linked).text)
    fixed = manager.post(f"/requests/{request.id}/fixes",
                         {"title": "Stream exports", "kind": "pull_request",
                          "url": "https://github.com/acme/app/pull/13"})  # fmt: skip
    shown = text_of(manager.follow(fixed).text)
    assert "in Engineering's review queue" in shown
    assert "Github acme/app#12" in shown and "Stream exports" in shown and "submitted" in shown
