"""Linking, not re-investigating (R-REC-2), from every similar-tickets list: a ticket's page and
the search page (duplicate, not related, same recurring issue), an escalation's page (its
similar tickets' issue linked to it) and a request's page (a duplicate of that issue's
escalation)."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from escdesk.services import clustering, tickets
from escdesk.services.recurring_changes import LinkEscalation
from escdesk.services.ticket_views import IssueRef
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.request_factories import file_request
from tests.ticket_factories import jsonl, labelled_records, record
from tests.web.pages import Visitor, text_of, visitor

NEW = "N-1"  # imported after clustering: in no recurring issue yet


@pytest.fixture
def ldap(uow: SqlUnitOfWork, now: datetime, tmp_path: Path) -> IssueRef:
    """The labelled helpdesk clustered, then one more LDAP ticket; the LDAP issue."""
    index = IndexCache(tmp_path / "seed-index")
    path = jsonl(tmp_path / "l.jsonl", labelled_records(now - timedelta(days=40)))
    tickets.import_file(uow, index, path, format="jsonl", now=now)
    clustering.update_issues(uow, index, now=now)
    late = record(NEW, "LDAP group sync timeout", now - timedelta(hours=1),
                  body="The LDAP sync of our large group times out every night.")  # fmt: skip
    tickets.import_file(uow, index, jsonl(tmp_path / "n.jsonl", [late]), format="jsonl", now=now)
    issue = tickets.show_ticket(uow, "L-1").issue
    assert issue is not None and tickets.show_ticket(uow, NEW).issue is None
    return issue


def added_events(uow: SqlUnitOfWork) -> list[str]:
    with uow:
        return list(
            uow.session.scalars(text("select type from events where type = 'issue_ticket_added'"))
        )


def test_a_ticket_joins_its_matchs_recurring_issue_from_its_page(
    manager: Visitor, uow: SqlUnitOfWork, ldap: IssueRef
) -> None:
    page = manager.get(f"/tickets/{NEW}").text
    assert f'action="/tickets/{NEW}/issue"' in page and "Same issue" in page

    added = manager.post(f"/tickets/{NEW}/issue", {"issue": str(ldap.id)})

    assert added.headers["location"] == f"/tickets/{NEW}"
    html = manager.follow(added).text
    assert f"{NEW} is in the recurring issue “{ldap.label}” now" in text_of(html)
    assert f'name="issue" value="{ldap.id}"' not in html  # offered for other issues only
    joined = tickets.show_ticket(uow, NEW).issue
    assert joined is not None and joined.id == ldap.id
    manager.post(f"/tickets/{NEW}/issue", {"issue": str(ldap.id)})  # twice: nothing new
    assert added_events(uow) == ["issue_ticket_added"]
    assert manager.post(f"/tickets/{NEW}/issue", {"issue": "x"}).status_code == 422


def test_the_search_page_links_from_its_list_and_comes_back_to_it(
    manager: Visitor, ldap: IssueRef
) -> None:
    search = f"/tickets/similar?ticket={NEW}"
    page = manager.get(search).text
    assert "Duplicate" in page and "Not related" in page and "Same issue" in page
    assert f'name="back" value="{search}"' in page
    by_text = manager.get("/tickets/similar?q=LDAP+timeout").text  # no ticket to link
    assert "LDAP" in by_text and '<th scope="col">Link</th>' not in by_text

    linked = manager.post(
        f"/tickets/{NEW}/judgements", {"other": "L-1", "verdict": "duplicate", "back": search}
    )

    assert linked.headers["location"] == search
    after = text_of(manager.follow(linked).text)
    assert f"{NEW} is a duplicate of L-1" in after and "linked duplicate" in after
    joined = manager.post(f"/tickets/{NEW}/issue", {"issue": str(ldap.id), "back": search})
    assert joined.headers["location"] == search
    away = manager.post(
        f"/tickets/{NEW}/judgements",
        {"other": "L-5", "verdict": "not_related", "back": "https://elsewhere.example/"},
    )
    assert away.headers["location"] == f"/tickets/{NEW}"  # never off the site


def test_an_escalation_links_the_issue_of_a_similar_ticket_from_its_page(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, ldap: IssueRef
) -> None:
    account = factories.add_account(uow, now=now, name="Globex").name
    esc = factories.open_escalation(
        uow, now=now, account=account, summary="LDAP group sync times out again"
    )
    page = manager.get(f"/escalations/{esc.id}").text
    assert "Link its issue here" in page and f'action="/recurring/{ldap.id}/link"' in page

    linked = manager.post(
        f"/recurring/{ldap.id}/link",
        {"escalation": f"ESC-{esc.id}", "back": f"/escalations/{esc.id}#seen-before"},
    )

    assert linked.headers["location"] == f"/escalations/{esc.id}#seen-before"
    after = text_of(manager.follow(linked).text)
    assert f"“{ldap.label}” is linked to ESC-{esc.id}" in after
    assert f"Recurring issue linked to this escalation: {ldap.label}" in after
    assert "Link its issue here" not in after


def test_a_request_is_marked_a_duplicate_of_the_escalation_of_a_similar_tickets_issue(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, ldap: IssueRef
) -> None:
    account = factories.add_account(uow, now=now, name="Globex").name
    esc = factories.open_escalation(uow, now=now, account=account, summary="Directory trouble")
    assert esc.id is not None
    factories.act(uow, LinkEscalation(ldap.id, esc.id), now=now)
    request = file_request(uow, now=now, problem="The LDAP sync of large groups times out")

    page = text_of(manager.get(f"/requests/{request.id}").text)
    assert "Similar earlier tickets" in page and f"Duplicate of ESC-{esc.id}" in page

    linked = manager.post(
        f"/requests/{request.id}/duplicate", {"of": f"ESC-{esc.id}", "version": "1"}
    )
    after = text_of(manager.follow(linked).text)
    assert f"is linked as a duplicate of ESC-{esc.id}" in after


def test_a_salesperson_sees_the_lists_without_link_buttons(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, ldap: IssueRef
) -> None:
    with visitor(app, uow, now, "sales") as sales:
        for url in (f"/tickets/{NEW}", f"/tickets/similar?ticket={NEW}"):
            page = text_of(sales.get(url).text)
            assert "Similar" in page and "Same issue" not in page and "Not related" not in page
        assert sales.post(f"/tickets/{NEW}/issue", {"issue": str(ldap.id)}).status_code == 403
