"""A ticket's page (R-REC-2): its similar earlier tickets, each linked as a duplicate or set
aside as not related in one click."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI

from escdesk.services import clustering, tickets
from escdesk.services.recurring_changes import LinkEscalation
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.ticket_factories import jsonl, labelled_records
from tests.web.pages import Visitor, text_of, visitor


@pytest.fixture
def helpdesk(uow: SqlUnitOfWork, now: datetime, tmp_path: Path) -> None:
    index = IndexCache(tmp_path / "seed-index")
    path = jsonl(tmp_path / "l.jsonl", labelled_records(now - timedelta(days=40)))
    tickets.import_file(uow, index, path, format="jsonl", now=now)


def test_a_ticket_page_shows_its_similar_earlier_tickets_with_why_and_strength(
    manager: Visitor, helpdesk: None
) -> None:
    page = text_of(manager.get("/tickets/L-26").text)
    assert "Similar earlier tickets" in page and "L-1" in page and "LDAP" in page
    assert "strong" in page or "possible" in page
    assert "Duplicate" in page and "Not related" in page


def test_linking_and_setting_aside_from_the_page_changes_the_list(
    manager: Visitor, helpdesk: None
) -> None:
    assert 'href="/tickets/L-5"' in manager.get("/tickets/L-26").text
    linked = manager.post("/tickets/L-26/judgements", {"other": "L-1", "verdict": "duplicate"})
    page = text_of(manager.follow(linked).text)
    assert "L-26 is a duplicate of L-1" in page and "linked duplicate" in page
    gone = manager.post("/tickets/L-26/judgements", {"other": "L-5", "verdict": "not_related"})
    after = manager.follow(gone).text
    assert "L-26 is not related to L-5" in text_of(after)
    assert 'href="/tickets/L-5"' not in after
    bad = manager.post("/tickets/L-26/judgements", {"other": "L-26", "verdict": "duplicate"})
    assert bad.status_code == 422


def test_a_salesperson_reads_the_page_without_the_link_buttons(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, helpdesk: None
) -> None:
    with visitor(app, uow, now, "sales") as sales:
        page = text_of(sales.get("/tickets/L-26").text)
        assert "Similar earlier tickets" in page and "Not related" not in page
        refused = sales.post("/tickets/L-26/judgements", {"other": "L-1"})
        assert refused.status_code == 403


def test_an_escalation_page_shows_its_linked_issue_and_similar_tickets(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, tmp_path: Path
) -> None:
    index = IndexCache(tmp_path / "seed-index")
    path = jsonl(tmp_path / "l.jsonl", labelled_records(now - timedelta(days=40)))
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    clustering.update_issues(uow, index, now=now)
    issue = tickets.show_ticket(uow, "L-1").issue
    assert issue is not None
    account = factories.add_account(uow, now=now, name="Globex").name
    esc = factories.open_escalation(
        uow, now=now, account=account, summary="LDAP group sync times out again"
    )
    assert esc.id is not None
    factories.act(uow, LinkEscalation(issue.id, esc.id), now=now)

    page = text_of(manager.get(f"/escalations/{esc.id}").text)

    assert "Seen before?" in page and issue.label in page
    assert "Similar tickets" in page and "LDAP" in page
