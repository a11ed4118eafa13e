"""The customer status page: no sign-in, customer-facing text only (R-OPS-2)."""

from __future__ import annotations

import re
from datetime import datetime

from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.clock import Audience
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import PostUpdate, ShowEscalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of


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
