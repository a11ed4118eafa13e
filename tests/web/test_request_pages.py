"""Pages of intake and triage: filing with every missing field named, the request's page with
its score, deciding, the agenda and meeting mode (R-INT-1/2, R-TRI-1…3)."""

from __future__ import annotations

from datetime import datetime

from escdesk.services import requests as intake
from escdesk.services.request_commands import ListRequests
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.request_factories import file_request
from tests.web.pages import Visitor, text_of

FORM = {
    "kind": "account_escalation",
    "problem": "Exports time out over 10k rows",
    "problem_type": "bug",
    "proposed_severity": "medium",
    "workarounds": "Monthly exports; the auditors need one file",
    "difficulty": "small",
    "dependencies": "none",
    "other_customers": "1",
    "happiness_confirmed": "yes",
    "tickets": "ZD-3 https://help.example/3",
    "skills": "PostgreSQL",
}


def test_a_refused_form_names_every_missing_field_in_words_and_keeps_what_was_typed(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    response = manager.post("/requests/new", {"account": str(account.id), "problem": "Slow"})
    assert response.status_code == 422
    page = text_of(response.text)
    for words in (
        "what kind of request it is",
        "the workarounds tried and why they fall short",
        "whether a fix is confirmed to make the customer happy",
    ):
        assert words in page
    assert "the problem statement" not in page
    assert ">Slow</textarea>" in response.text
    assert factories.ask(uow, intake.list_requests, ListRequests()) == []


def test_the_form_shows_the_accounts_open_escalation_and_filing_leads_to_the_score(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    esc = factories.open_escalation(uow, now=now, account="Globex")
    form = text_of(manager.get("/requests/new", params={"account": str(account.id)}).text)
    assert f"ESC-{esc.id} is open for this customer" in form
    filed = manager.post("/requests/new", {"account": str(account.id), **FORM})
    page = text_of(manager.follow(filed).text)
    assert "REQ-1 Globex: Exports time out over 10k rows" in page
    assert "Score " in page and "Total" in page and "Record the decision" in page


def test_the_agenda_page_and_its_markdown(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    empty = text_of(manager.get("/triage").text)
    assert "Skipped: no escalation request is pending" in empty
    request = file_request(uow, now=now)
    page = text_of(manager.get("/triage").text)
    assert f"REQ-{request.id}" in page and "Start meeting mode" in page
    markdown = manager.get("/triage/agenda.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert "## New requests, by score" in markdown.text


def test_meeting_mode_records_attendance_and_decisions(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    first = file_request(uow, now=now, proposed_severity="critical")
    second = file_request(uow, now=now, proposed_severity="low")
    started = manager.post("/triage/meeting", {"attendees": manager.person.email})
    meeting = manager.follow(started)
    page = text_of(meeting.text)
    assert f"Now: REQ-{first.id}" in page and "Mia Manager" in page
    url = started.headers["location"]
    refused = manager.post(f"{url}/requests/{first.id}", {"outcome": "backlog", "rationale": ""})
    assert refused.status_code == 422 and "Rationale must not be empty" in text_of(refused.text)
    decided = manager.post(
        f"{url}/requests/{first.id}", {"outcome": "backlog", "rationale": "Rare in practice"}
    )
    after = text_of(manager.follow(decided).text)
    assert f"Now: REQ-{second.id}" in after
    assert f"REQ-{first.id} : backlog — Rare in practice" in after


def test_a_similar_earlier_request_is_shown_and_linked_as_the_duplicate_in_one_click(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    first = file_request(uow, now=now, problem="Exports time out for reports over 10k rows")
    second = file_request(uow, now=now, problem="Report exports time out above 10k rows")
    looking = text_of(manager.get("/requests/new", params={"about": "exports time out"}).text)
    assert f"REQ-{first.id}" in looking and "Similar requests and escalations" in looking
    page = text_of(manager.get(f"/requests/{second.id}").text)
    assert f"Duplicate of REQ-{first.id}" in page
    linked = manager.post(
        f"/requests/{second.id}/duplicate", {"of": f"REQ-{first.id}", "version": "1"}
    )
    after = text_of(manager.follow(linked).text)
    assert f"REQ-{second.id} is linked as a duplicate of REQ-{first.id}" in after
    assert "Withdrawn" in after


def test_deciding_on_the_requests_page_schedules_it_and_keeps_the_form_for_re_triage(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    request = file_request(uow, now=now)
    refused = manager.post(
        f"/requests/{request.id}/decide", {"outcome": "scheduled", "rationale": "Planned"}
    )
    assert refused.status_code == 422 and "Release must name the release" in text_of(refused.text)
    decided = manager.post(
        f"/requests/{request.id}/decide",
        {"outcome": "scheduled", "rationale": "Planned", "release": "2027.1"},
    )
    page = text_of(manager.follow(decided).text)
    assert f"REQ-{request.id}: scheduled" in page
    assert "scheduled for release 2027.1 — Planned" in page
    assert "decided after 0.0 h" in page and "Record the decision" in page
