"""The customer status page: no sign-in, customer-facing text only (R-OPS-2)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.clock import Audience
from escdesk.domain.closing import Waiver
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import escalations as service
from escdesk.services import status_page
from escdesk.services.escalation_commands import (
    CloseEscalation,
    PostUpdate,
    SetCustomerSummary,
    ShowEscalation,
    agreement_from,
)
from escdesk.store.tables import ExitCriterionRow
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.pages import when
from tests import factories
from tests.web.conftest import COMPANY
from tests.web.pages import Clock, Visitor, text_of


def test_publishing_gives_a_link_that_shows_only_what_the_customer_may_read(
    app: FastAPI, manager: Visitor, uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now, summary="Secret internal summary")
    other = factories.open_escalation(uow, now=now)
    assert esc.id is not None and other.id is not None
    factories.act(
        uow, PostUpdate(esc.id, Audience("internal"), "Blame the intern"), now=now, policy=policy
    )
    factories.act(
        uow, PostUpdate(esc.id, Audience("customer"), "Patch ships Friday"), now=now, policy=policy
    )
    factories.act(
        uow,
        PostUpdate(other.id, Audience("customer"), "Other customer's news"),
        now=now,
        policy=policy,
    )
    version = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation.version
    response = manager.post(f"/escalations/{esc.id}/publish", {"version": version})
    page = manager.follow(response)
    match = re.search(r"published at http://desk\.example\.com(/status/[\w-]+)", text_of(page.text))
    assert match, text_of(page.text)
    with TestClient(app) as customer:  # no session at all
        status = customer.get(match.group(1))
    assert status.status_code == 200
    text = text_of(status.text)
    assert "Patch ships Friday" in text
    assert "p95 pipeline start under 30 s for a week" in text
    for secret in (
        "Blame the intern",
        "Other customer's news",
        "Secret internal summary",
        "Sign out",
        "Dashboard",
    ):
        assert secret not in text
    assert status.headers["Referrer-Policy"] == "no-referrer"


def test_an_unknown_status_link_is_not_found_without_signing_in(app: FastAPI) -> None:
    with TestClient(app) as customer:
        response = customer.get("/status/not-a-real-token", follow_redirects=False)
    assert response.status_code == 404
    assert "status page for this link not found" in text_of(response.text)


def _published(uow: SqlUnitOfWork, esc_id: int, now: datetime) -> str:
    return "/status/" + status_page.publish(uow, esc_id, now)


def test_the_page_says_what_it_is_about_in_the_customers_words_under_the_company_name(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, summary="Secret internal summary")
    assert esc.id is not None
    path = _published(uow, esc.id, now)
    with TestClient(app) as customer:
        neutral = customer.get(path)
        factories.act(uow, SetCustomerSummary(esc.id, "Pipelines start late"), now=now)
        named = customer.get(path)
    before, after = text_of(neutral.text), text_of(named.text)
    assert f"Your escalation with {esc.customer}" in before
    assert "Secret internal summary" not in before + after + neutral.text + named.text
    assert re.search(r"<h1>Pipelines start late</h1>", named.text)
    assert f"Reference ESC-{esc.id} · Medium severity · opened" in after
    assert COMPANY in after and "escdesk" not in after.lower()
    assert f"<title>Status of your escalation ESC-{esc.id} · {COMPANY}</title>" in named.text
    assert '<img src="/static/favicon.svg" alt="Northwind Software"' in named.text


def test_two_escalations_of_one_customer_are_told_apart(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now).name
    first = factories.open_escalation(uow, now=now, account=account)
    second = factories.open_escalation(
        uow, now=now + timedelta(days=2), account=account, severity="high", route="csm"
    )
    assert first.id is not None and second.id is not None
    factories.act(uow, SetCustomerSummary(first.id, "Exports time out"), now=now)
    with TestClient(app) as customer:
        one = text_of(customer.get(_published(uow, first.id, now)).text)
        two = text_of(customer.get(_published(uow, second.id, now)).text)
    assert f"Reference ESC-{first.id} · Medium severity" in one and "Exports time out" in one
    assert f"Reference ESC-{second.id} · High severity" in two
    assert "Exports time out" not in two
    assert one.split("opened ")[1][:12] != two.split("opened ")[1][:12]


def test_a_closed_escalation_shows_each_waived_criterion_with_its_reason(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    """R-ESC-9: "Closed" never stands beside an unticked item without a word."""
    esc = factories.open_escalation(uow, now=now, exit_criteria=["p95 under 30 s", "Report sent"])
    assert esc.id is not None
    token = status_page.publish(uow, esc.id, now)
    factories.act(
        uow,
        CloseEscalation(
            esc.id,
            agreement_from("Jo Chen, CTO", now, "email"),
            waivers=(
                Waiver(1, "Four clean days were enough for Jo"),
                Waiver(2, "Jo no longer needs the report"),
            ),
        ),
        now=now,
    )
    with TestClient(app) as customer:
        text = text_of(customer.get(f"/status/{token}").text)
    assert "p95 under 30 s waived Waived: Four clean days were enough for Jo" in text
    assert "Report sent waived Waived: Jo no longer needs the report" in text
    assert "not met" not in text
    view = status_page.status_view(uow, token, now)
    assert [c.waived for c in view.exit_criteria] == [True, True]


def test_a_criterion_left_open_by_an_older_closing_is_said_to_be_unmet(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    """Escalations closed before waivers existed may hold an open criterion: the page says so."""
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    token = status_page.publish(uow, esc.id, now)
    closing = CloseEscalation(esc.id, agreement_from("Jo", now, "email"), waivers=factories.WAIVED)
    factories.act(uow, closing, now=now)
    with uow:
        for row in uow.session.query(ExitCriterionRow):
            row.waived_reason = row.waived_at = row.waived_by_id = None
        uow.commit()
    with TestClient(app) as customer:
        text = text_of(customer.get(f"/status/{token}").text)
    assert "○ p95 pipeline start under 30 s for a week not met when the escalation closed" in text


def test_a_late_update_and_a_missed_eta_are_owed_now_not_promised_in_the_past(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, clock: Clock
) -> None:
    """R-ESC-6/8: once the promised moment passes, the page says the update is being written
    and the ETA revised; a time already gone is never shown as what comes next."""
    esc = factories.open_escalation(uow, now=now, eta=now + timedelta(days=2))
    assert esc.id is not None and esc.next_customer_update_due is not None
    due, eta = esc.next_customer_update_due, now + timedelta(days=2)
    token = _published(uow, esc.id, now)
    with TestClient(app) as customer:
        on_time = customer.get(token)
        clock.now = max(due, eta) + timedelta(hours=1)  # past the customer update and the ETA
        late = customer.get(token)
        late_json = customer.get("/api" + token).json()
    assert on_time.status_code == late.status_code == 200
    zone = status_page.status_view(uow, token.removeprefix("/status/"), now).timezone
    on_time_text, late_text = text_of(on_time.text), text_of(late.text)
    assert f"Next update to you {when(due, zone)}" in on_time_text
    assert f"Target resolution (ETA) {when(eta, zone)}" in on_time_text
    assert "Next update to you Being written now" in late_text
    assert "Being revised: the new date comes with our next update" in late_text
    assert when(due, zone) not in late_text  # the passed update moment is gone from the page
    assert late_json["next_update"] == "late" and late_json["next_update_due"] is None
    assert late_json["eta_promise"] == "late"
