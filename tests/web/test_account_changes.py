"""Accounts kept true on the pages (seed 004): the account page's edit form, the sentiment in the
close form, and the warning before a second open escalation for one customer."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import FastAPI

from escdesk.services import accounts
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of, visitor


def edit_form(account_id: int, **values: str) -> dict[str, str]:
    return {"name": "Globex", "tier": "enterprise", "status": "paying", "arr": "120000",
            "deal_size": "", "services_project": "", "services_pm": "", "sentiment": "green",
            **values}  # fmt: skip


def test_its_csm_edits_the_account_on_its_page_and_sees_who_set_the_sentiment(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    with visitor(app, uow, now, "csm", name="Carla CSM") as csm:
        account = factories.add_account(uow, now=now, name="Globex", csm=csm.person.email)
        assert account.id is not None
        page = csm.get(f"/accounts/{account.id}").text
        assert "Edit the account" in page
        assert re.search(r'<select id="e-csm" name="csm" disabled', page)  # handing on: leaders
        form = edit_form(account.id, sentiment="at_risk", arr="150000",
                         version=str(account.version))  # fmt: skip
        response = csm.post(f"/accounts/{account.id}", form)
        shown = text_of(csm.follow(response).text)
    assert "Globex is up to date." in shown
    assert "At risk: its sentiment is at risk." in shown
    assert "set by Carla CSM" in shown and "ARR 150,000" in shown
    detail = factories.ask(uow, accounts.show_account, accounts.ShowAccount("Globex"))
    assert detail.account.csm_id is not None  # the disabled choice left the CSM as it was


def test_others_see_no_edit_form_and_a_stale_edit_is_shown_again_beside_it(
    app: FastAPI, manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    assert account.id is not None
    with visitor(app, uow, now, "csm") as other, visitor(app, uow, now, "support") as support:
        assert "Edit the account" not in other.get(f"/accounts/{account.id}").text
        assert "Edit the account" not in support.get(f"/accounts/{account.id}").text
        refused = other.post(f"/accounts/{account.id}", edit_form(account.id, arr="1"))
        assert refused.status_code == 403
    stale = manager.post(f"/accounts/{account.id}", edit_form(account.id, arr="5", version="99"))
    assert stale.status_code == 409
    assert "Someone else changed this account while you were writing" in text_of(stale.text)
    assert (
        factories.ask(uow, accounts.show_account, accounts.ShowAccount("Globex")).account.arr
        == 120_000
    )


def test_the_close_form_offers_the_accounts_sentiment_as_it_is_and_closing_sets_it(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    esc = factories.open_escalation(uow, now=now, account=account.name, severity="high")
    edit = accounts.EditAccount.parse(key="Globex", sentiment="at_risk")
    factories.act(uow, edit, now=now, handler=accounts.edit_account)
    page = manager.get(f"/escalations/{esc.id}").text
    assert '<option value="at_risk" selected>at risk</option>' in page
    assert "Globex's sentiment" in text_of(page)
    version = factories.ask(uow, service.show_escalation, service.ShowEscalation(esc.id or 0))
    response = manager.post(
        f"/escalations/{esc.id}/close",
        {"agreed_by": "Eve", "agreed_at": now.strftime("%Y-%m-%dT%H:%M"), "agreed_via": "email",
         "sentiment": "yellow", "waive_1": "Eve agreed to close early",
         "version": str(version.escalation.version)},
    )  # fmt: skip
    assert "Closed with the customer's agreement" in text_of(manager.follow(response).text)
    detail = factories.ask(uow, accounts.show_account, accounts.ShowAccount("Globex"))
    assert detail.account.sentiment == "yellow" and not detail.risk.at_risk


def test_a_second_escalation_for_a_customer_warns_links_the_open_one_and_may_go_ahead(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now, name="Globex")
    first = factories.open_escalation(uow, now=now, account=account.name, summary="Exports stall")
    form = {"account": str(account.id), "severity": "medium", "kind": "account_escalation",
            "route": "support", "summary": "Search is slow", "initial_ask": "An engineer",
            "required_skills": "Go"}  # fmt: skip
    warned = manager.post("/escalations/new", form)
    assert warned.status_code == 409
    said = text_of(warned.text)
    assert f"Globex already has an open escalation, ESC-{first.id} (medium): Exports stall." in said
    assert f'<a href="/escalations/{first.id}">Go to the open escalation' in warned.text
    assert 'name="also"' in warned.text and "Search is slow" in warned.text
    assert "--also" not in warned.text  # no command-line advice on a page
    opened = manager.post("/escalations/new", {**form, "also": "on"})
    assert "is open" in text_of(manager.follow(opened).text)
    assert factories.ask(uow, service.list_escalations, ListEscalations.parse()).total == 2
