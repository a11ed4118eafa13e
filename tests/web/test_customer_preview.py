"""A customer-facing update is never one click away (R-OPS-2): the page shows it first as the
customer will read it — the status-page entry and each contact's e-mail — and posts it only
when confirmed. The customer summary is set from the same page."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI

from escdesk.domain.escalation import Escalation
from escdesk.services import calendars
from escdesk.services import escalations as service
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.contacts import AddContact, add_contact_now
from escdesk.services.escalation_commands import EscalationHistory, ShowEscalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.conftest import COMPANY
from tests.web.pages import Visitor, text_of, visitor

BODY = "A fix is in testing.\n\nWe expect it on Friday."


def _current(uow: SqlUnitOfWork, esc: Escalation) -> Escalation:
    assert esc.id is not None
    return factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation


def _with_contact(uow: SqlUnitOfWork, now: datetime) -> Escalation:
    esc = factories.open_escalation(uow, now=now, summary="Internal: their admin broke it")
    account = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id or 0)).account
    add_contact_now(
        uow, AddContact(account.name, "Jo Chen", "jo@acme.example"), DatabaseAdministrator(), now
    )
    return esc


def test_a_customer_facing_update_is_previewed_and_nothing_is_posted_yet(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = _with_contact(uow, now)
    response = manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "customer", "body": BODY, "version": esc.version},
    )
    assert response.status_code == 200
    text = text_of(response.text)
    assert f"Check what {esc.customer} will read" in text and "Nothing is posted yet." in text
    assert "<p>A fix is in testing.</p>" in response.text  # the status page's own rendering
    assert f"Subject Update on your escalation ESC-{esc.id}" in text
    assert "Hello Jo Chen," in text and f"Mia Manager, for the {COMPANY} escalation team" in text
    assert "Internal: their admin broke it" not in text
    assert 'name="step" value="confirm"' in response.text
    assert 'name="step" value="edit"' in response.text
    after = _current(uow, esc)
    assert after.updates == [] and after.version == esc.version


def test_the_preview_writes_the_entry_on_the_accounts_clock_as_the_status_page_does(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    """A CSM in Singapore previews for a customer in Munich: the entry's time is Munich's."""
    esc = _with_contact(uow, now)
    account = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id or 0)).account
    munich = calendars.AddCalendar.parse(
        name="munich", timezone="Europe/Berlin", hours=["mon-fri 09:00-17:00"]
    )
    factories.act(uow, munich, now=now, handler=calendars.add_calendar)
    factories.act(
        uow, calendars.SetAccountCalendar(account.name, "munich"), now=now,
        handler=calendars.set_account_calendar,
    )  # fmt: skip
    with visitor(app, uow, now, "manager", timezone="Asia/Singapore") as csm:
        response = csm.post(
            f"/escalations/{esc.id}/update",
            {"audience": "customer", "body": BODY, "version": esc.version},
        )
    text = text_of(response.text)
    # 09:00 UTC on Monday 2 November is 10:00 in Munich and 17:00 in Singapore.
    assert "Mon 2 Nov 2026 10:00 Europe/Berlin" in text
    assert "17:00 Asia/Singapore" not in text.split("By e-mail")[0]


def test_confirming_posts_exactly_the_previewed_text(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = _with_contact(uow, now)
    preview = manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "customer", "body": BODY, "version": esc.version},
    )
    assert "confirm" in preview.text
    confirmed = manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "customer", "body": BODY, "version": esc.version, "step": "confirm"},
    )
    assert confirmed.status_code == 303
    [update] = _current(uow, esc).updates
    assert update.audience == "customer" and update.body == BODY


def test_changing_the_text_goes_back_to_the_form_with_it_kept(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = _with_contact(uow, now)
    back = manager.post(
        f"/escalations/{esc.id}/update",
        {"audience": "customer", "body": "Draft words", "version": esc.version, "step": "edit"},
    )
    assert back.status_code == 200
    assert "Not posted. Change the text, then preview it again." in text_of(back.text)
    assert ">Draft words</textarea>" in back.text
    assert 'value="customer" required checked' in back.text
    assert _current(uow, esc).updates == []


def test_an_empty_update_is_refused_at_the_preview_and_an_internal_one_posts_at_once(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = _with_contact(uow, now)
    refused = manager.post(
        f"/escalations/{esc.id}/update", {"audience": "customer", "body": "  ", "version": 1}
    )
    assert refused.status_code == 422 and "Body must not be empty" in text_of(refused.text)
    internal = manager.post(
        f"/escalations/{esc.id}/update", {"audience": "internal", "body": "note", "version": 1}
    )
    assert internal.status_code == 303
    assert [u.audience for u in _current(uow, esc).updates] == ["internal"]


def test_the_customer_summary_is_set_from_the_page_and_kept_in_the_trail(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    page = text_of(manager.get(f"/escalations/{esc.id}").text)
    assert "No customer summary yet" in page
    saved = manager.post(
        f"/escalations/{esc.id}/customer-summary",
        {"customer_summary": "Exports time out", "version": esc.version},
    )
    assert saved.status_code == 303
    shown = text_of(manager.follow(saved).text)
    assert "The customer summary is saved" in shown and "Exports time out" in shown
    assert "Set what the customer reads it is about: Exports time out" in shown
    assert _current(uow, esc).customer_summary == "Exports time out"
    history = factories.ask(uow, service.escalation_history, EscalationHistory(esc.id or 0))
    assert history[-1].type == "customer_summary_set"


def test_the_customer_summary_form_refuses_empty_text_and_those_not_allowed(
    app: FastAPI, manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    empty = manager.post(
        f"/escalations/{esc.id}/customer-summary", {"customer_summary": " ", "version": 1}
    )
    assert empty.status_code == 422
    assert "Customer summary must not be empty" in text_of(empty.text)
    with visitor(app, uow, now, "product_leader_director") as director:
        page = director.get(f"/escalations/{esc.id}").text
        refused = director.post(
            f"/escalations/{esc.id}/customer-summary", {"customer_summary": "x", "version": 1}
        )
    assert "/customer-summary" not in page
    assert refused.status_code == 403
    assert _current(uow, esc).customer_summary is None
