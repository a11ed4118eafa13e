"""The survey page (R-SLA-4): no sign-in, one answer, nothing of another escalation."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from escdesk.domain import survey
from escdesk.services import calendars, contacts
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.escalation_commands import (
    CloseEscalation,
    SetCustomerSummary,
    agreement_from,
)
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.pages import when
from tests import factories
from tests.web.conftest import COMPANY
from tests.web.pages import Clock, text_of


def test_a_contact_answers_once_without_signing_in(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, clock: Clock
) -> None:
    account = factories.add_account(uow, now=now)
    contacts.add_contact_now(
        uow,
        contacts.AddContact(account.name, "Jo", "jo@acme.example", "en"),
        DatabaseAdministrator(),
        now,
    )
    esc = factories.open_escalation(uow, now=now, account=account.name, summary="Internal words")
    factories.open_escalation(uow, now=now, summary="Another customer's secret")
    assert esc.id is not None
    factories.act(uow, SetCustomerSummary(esc.id, "Pipelines stall"), now=now)
    closing = CloseEscalation(esc.id, agreement_from("Jo", now, "email"), waivers=factories.WAIVED)
    factories.act(uow, closing, now=now)
    with uow:
        path = uow.session.scalars(select(OutboxRow.payload)).all()
    [survey_path] = [p["survey_path"] for p in path if "survey_path" in p]
    with TestClient(app, raise_server_exceptions=False) as customer:
        page = customer.get(survey_path)
        assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
        text = text_of(page.text)
        assert "Pipelines stall" in text and "Another customer's secret" not in text
        assert "Internal words" not in text  # the customer summary, never the internal one
        assert COMPANY in text and "escdesk" not in text.lower()
        assert "Sign out" not in text
        refused = customer.post(survey_path, data={"score": "9"})
        assert refused.status_code == 422 and "score" in text_of(refused.text)
        answered = customer.post(survey_path, data={"score": "5", "comment": "Great work"})
        assert answered.status_code == 200 and "5 out of 5" in text_of(answered.text)
        again = customer.post(survey_path, data={"score": "1"})
        assert again.status_code == 409 and "already answered" in text_of(again.text)
        assert customer.get("/survey/nope").status_code == 404
    clock.now = now + survey.VALID_FOR
    with TestClient(app) as customer:
        assert "already answered" in text_of(customer.get(survey_path).text)


def test_the_link_expiry_is_written_on_the_accounts_clock(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    """As the status page does: a customer in Munich reads Munich time, not UTC."""
    munich = calendars.AddCalendar.parse(
        name="munich", timezone="Europe/Berlin", hours=["mon-fri 09:00-17:00"]
    )
    factories.act(uow, munich, now=now, handler=calendars.add_calendar)
    account = factories.add_account(uow, now=now, name="Isar Logistics")
    factories.act(
        uow, calendars.SetAccountCalendar(account.name, "munich"), now=now,
        handler=calendars.set_account_calendar,
    )  # fmt: skip
    contacts.add_contact_now(
        uow,
        contacts.AddContact(account.name, "Jo", "jo@isar.example", "en"),
        DatabaseAdministrator(),
        now,
    )
    esc = factories.open_escalation(uow, now=now, account=account.name)
    assert esc.id is not None
    closing = CloseEscalation(esc.id, agreement_from("Jo", now, "email"), waivers=factories.WAIVED)
    factories.act(uow, closing, now=now)
    with uow:
        payloads = uow.session.scalars(select(OutboxRow.payload)).all()
    [survey_path] = [p["survey_path"] for p in payloads if "survey_path" in p]
    with TestClient(app) as customer:
        text = text_of(customer.get(survey_path).text)
    expires = now + survey.VALID_FOR
    assert f"until {when(expires, 'Europe/Berlin')}" in text
    assert "UTC" not in text
