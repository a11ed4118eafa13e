"""Pages of recurring issues: the ranked list, the search box, one issue's forms, the review."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from escdesk.services import clustering, tickets
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests.ticket_factories import jsonl, labelled_records
from tests.web.pages import Visitor, text_of, visitor


@pytest.fixture
def ldap(app: FastAPI, uow: SqlUnitOfWork, now: datetime, tmp_path: Path) -> int:
    """The labelled helpdesk, imported and clustered; the id of its LDAP issue. The app's own
    index builds itself from the tickets table on first use."""
    index = IndexCache(tmp_path / "seed-index")
    path = jsonl(tmp_path / "l.jsonl", labelled_records(now - timedelta(days=40)))
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    clustering.update_issues(uow, index, now=now)
    found = tickets.show_ticket(uow, "L-1").issue
    assert found is not None
    return found.id


def test_the_list_ranks_issues_and_offers_the_similar_tickets_search(
    manager: Visitor, ldap: int
) -> None:
    page = text_of(manager.get("/recurring").text)
    assert "Recurring issues" in page and "LDAP" in page
    assert "Similar earlier tickets" in page

    found = text_of(manager.get("/tickets/similar", params={"q": "LDAP sync timeout"}).text)
    assert "LDAP sync times out for large groups" in found
    by_ticket = text_of(manager.get("/tickets/similar", params={"ticket": "L-26"}).text)
    assert "LDAP" in by_ticket and "L-1" in by_ticket


def test_an_issue_is_renamed_and_fixed_from_its_page(manager: Visitor, ldap: int) -> None:
    renamed = manager.post(f"/recurring/{ldap}/rename", {"label": "Big LDAP groups time out"})
    assert "Big LDAP groups time out" in text_of(manager.follow(renamed).text)

    refused = manager.post(f"/recurring/{ldap}/fix", {"reference": ""})
    assert refused.status_code == 422 and "Fix must not be empty" in text_of(refused.text)

    fixed = manager.post(f"/recurring/{ldap}/fix", {"reference": "MR !881", "release": "16.4"})
    page = text_of(manager.follow(fixed).text)
    assert "The fix is recorded" in page and "after the fix" in page


def test_a_salesperson_sees_the_issue_without_the_forms_that_change_it(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, ldap: int
) -> None:
    with visitor(app, uow, now, "sales") as sales:
        page = sales.get(f"/recurring/{ldap}")
        assert page.status_code == 200 and "Work this issue" not in page.text
        assert sales.post(f"/recurring/{ldap}/confirm", {}).status_code == 403


def test_the_weekly_review_page_shows_the_time_boxed_agenda(manager: Visitor, ldap: int) -> None:
    page = text_of(manager.get("/review").text)
    assert "Weekly issues review" in page and "Chronic issues" in page
    assert "never over the cap" in page


@pytest.mark.parametrize("escalation", ["ESC-²", "٣", "ESC-99999999999999999999"])
def test_linking_an_escalation_id_no_store_holds_names_the_field(
    manager: Visitor, ldap: int, escalation: str
) -> None:
    refused = manager.post(f"/recurring/{ldap}/link", {"escalation": escalation})
    assert refused.status_code == 422, refused.text
    assert "Escalation" in refused.text and "is not an id" in refused.text
