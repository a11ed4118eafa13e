"""R-OPS-2: every person signs in; pages send whoever is not signed in to the sign-in page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.http.security import SESSION_COOKIE
from escdesk.services import auth
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, csrf_in, text_of

PASSWORD = "correct horse battery"


@pytest.fixture
def browser(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def member(uow: SqlUnitOfWork, now: datetime) -> str:
    person = factories.add_person(uow, "support", now=now, name="Sam Support")
    auth.set_password(uow, person.email, PASSWORD, now)
    return person.email


def test_a_page_sends_whoever_is_not_signed_in_to_sign_in_and_back(
    browser: TestClient, member: str
) -> None:
    response = browser.get("/escalations?severity=high", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fescalations%3Fseverity%3Dhigh"
    form = browser.get(response.headers["location"])
    assert 'name="next" value="/escalations?severity=high"' in form.text
    signed = browser.post(
        "/login",
        data={"email": member, "password": PASSWORD, "next": "/escalations?severity=high"},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/escalations?severity=high"
    assert SESSION_COOKIE in signed.cookies
    page = browser.get(signed.headers["location"], follow_redirects=False)
    assert page.status_code == 200
    assert "Signed in as Sam Support. Escalations 0 matching" in text_of(page.text)


def test_a_wrong_password_is_refused_beside_the_form_and_signs_nobody_in(
    browser: TestClient, member: str
) -> None:
    response = browser.post("/login", data={"email": member, "password": "nope nope nope"})
    assert response.status_code == 422
    assert "The e-mail or password is wrong. Check both and try again." in text_of(response.text)
    assert f'value="{member}"' in response.text  # what was typed stays, except the password
    assert PASSWORD not in response.text
    assert SESSION_COOKIE not in browser.cookies
    assert browser.get("/", follow_redirects=False).status_code == 303


def test_after_sign_in_only_a_path_on_this_site_is_followed(
    browser: TestClient, member: str
) -> None:
    response = browser.post(
        "/login",
        data={"email": member, "password": PASSWORD, "next": "//evil.example.com/x"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_a_sign_in_posted_from_another_site_is_refused(browser: TestClient, member: str) -> None:
    response = browser.post(
        "/login",
        data={"email": member, "password": PASSWORD},
        headers={"Origin": "https://evil.example.com"},
        follow_redirects=False,
    )
    assert response.status_code == 403
    assert SESSION_COOKIE not in response.cookies


def test_signing_out_ends_the_session(browser: TestClient, member: str) -> None:
    browser.post("/login", data={"email": member, "password": PASSWORD})
    token = csrf_in(browser.get("/").text)
    response = browser.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert browser.get("/", follow_redirects=False).status_code == 303


def test_a_form_without_the_csrf_token_is_refused_and_changes_nothing(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "internal", "body": "sneaky", "version": esc.version},
        csrf=False,
    )
    assert response.status_code == 403
    assert "csrf_token: missing or wrong" in text_of(response.text)
    assert "sneaky" not in manager.get(f"/escalations/{esc.id}").text
