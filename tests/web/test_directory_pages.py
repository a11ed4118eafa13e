"""Accounts, people and settings pages, and the forms that add accounts and people."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI

from escdesk.domain.people import Role
from escdesk.services import accounts, people
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of, visitor


def test_an_account_is_added_from_the_form_and_shown_with_its_escalations(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    csm = factories.add_person(uow, "csm", now=now, name="Carla CSM")
    response = manager.post(
        "/accounts",
        {
            "name": "Acme Corp",
            "tier": "strategic",
            "status": "paying",
            "arr": "250,000",
            "csm": str(csm.id),
        },
    )
    page = text_of(manager.follow(response).text)
    assert "Acme Corp is added." in page
    assert "CSM Carla CSM" in page and "ARR 250,000" in page
    factories.open_escalation(uow, now=now, account="Acme Corp", summary="Exports stall")
    assert "Exports stall" in manager.get(response.headers["location"]).text
    assert "Acme Corp" in text_of(manager.get("/accounts").text)


def test_a_pending_deal_without_its_size_is_refused_beside_the_form(
    manager: Visitor, uow: SqlUnitOfWork
) -> None:
    response = manager.post(
        "/accounts", {"name": "Quanta", "tier": "smb", "status": "pending_deal", "arr": "0"}
    )
    assert response.status_code == 422
    assert "Deal size is required for a pending deal." in text_of(response.text)
    assert 'value="Quanta"' in response.text
    assert factories.ask(uow, accounts.list_accounts, None) == []


def test_people_are_added_given_a_password_and_listed_by_role(
    manager: Visitor, uow: SqlUnitOfWork
) -> None:
    response = manager.post(
        "/people",
        {
            "name": "Priya Raman",
            "email": "priya@example.com",
            "roles": ["support", "csm"],
            "timezone": "Asia/Kolkata",
        },
    )
    assert "Priya Raman is added" in text_of(manager.follow(response).text)
    weak = manager.post(f"{response.headers['location']}/password", {"password": "short"})
    assert weak.status_code == 422
    assert "Password is shorter than 10 characters" in text_of(weak.text)
    done = manager.post(f"{response.headers['location']}/password", {"password": "long enough 1"})
    assert "The password is set" in text_of(manager.follow(done).text)
    csms = text_of(manager.get("/people?role=csm").text)
    assert "1 person with the role csm" in csms and "Priya Raman priya@example.com" in csms
    assert [
        p.name for p in factories.ask(uow, people.list_people, people.ListPeople(Role.CSM))
    ] == ["Priya Raman"]


def test_only_those_allowed_see_the_add_forms(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    with visitor(app, uow, now, "support") as support:
        assert 'method="post" action="/accounts"' not in support.get("/accounts").text
        assert 'method="post" action="/people"' not in support.get("/people").text
        refused = support.post("/people", {"name": "X", "email": "x@example.com", "roles": "csm"})
    assert refused.status_code == 403


def test_settings_show_the_severity_policy_and_the_store_in_force(
    manager: Visitor, database_url: str
) -> None:
    text = text_of(manager.get("/settings").text)
    assert "Critical" in text and "Daily 1d 1d 1d" in text
    assert "High" in text and "Multiple times per week 1d 56h 2d" in text
    assert "Low" in text and "Standard communication 2w 2w none" in text
    on_sqlite = database_url.startswith("sqlite")
    assert ("Store SQLite (embedded)" in text) is on_sqlite
    assert ("Store PostgreSQL" in text) is not on_sqlite


def test_an_unknown_page_is_an_html_page_not_a_problem_document(manager: Visitor) -> None:
    response = manager.get("/no/such/page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "There is no page at /no/such/page." in text_of(response.text)
