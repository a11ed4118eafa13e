"""A triage meeting in meeting mode, in real headless Chromium (R-TRI-1, R-TRI-3).

From the agenda: start the meeting with who attended, decide the request in focus (refused
without a rationale, then escalated), see the next one come up, and find the decisions recorded
with the meeting and the escalation open.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect

from escdesk.domain.request import RequestStatus
from escdesk.services import auth
from escdesk.services import requests as intake
from escdesk.services.request_commands import ShowRequest
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.request_factories import file_request
from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"


def test_a_triage_meeting_runs_from_the_agenda_to_recorded_decisions(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = factories.add_person(uow, "manager", now=now, name="Mia Manager")
    product = factories.add_person(uow, "product", now=now, name="Pat Product")
    auth.set_password(uow, manager.email, PASSWORD, now)
    engineer = factories.add_person(uow, "support", now=now, name="Sam Support")
    urgent = file_request(uow, now=now, by=engineer.email, proposed_severity="high",
                          problem="Exports time out for the auditors")  # fmt: skip
    minor = file_request(uow, now=now, proposed_severity="low", problem="A label is unclear")
    with serving(app) as base:
        page.goto(f"{base}/triage")
        page.get_by_label("E-mail").fill(manager.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", name=re.compile("Triage meeting"))).to_be_visible()
        agenda = page.locator("ol.agenda li")
        expect(agenda.first).to_contain_text(f"REQ-{urgent.id}")
        expect(agenda.nth(1)).to_contain_text(f"REQ-{minor.id}")

        page.get_by_role("link", name="Start meeting mode").click()
        page.get_by_label("Mia Manager").check()
        page.get_by_label("Pat Product").check()
        page.get_by_role("button", name="Start the meeting").click()
        current = page.locator("#current")
        expect(current).to_contain_text(f"Now: REQ-{urgent.id}")
        expect(page.locator(".sub")).to_contain_text("Mia Manager, Pat Product")

        form = page.locator("form.decide-form")
        form.get_by_label("Escalate now").check()
        form.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_role("alert")).to_contain_text("Rationale must not be empty")

        form = page.locator("form.decide-form")
        form.get_by_label("Escalate now").check()
        form.get_by_label(re.compile("^Rationale")).fill("The renewal depends on it")
        form.get_by_role("button", name="Record the decision").click()
        expect(page.get_by_role("status")).to_contain_text(f"REQ-{urgent.id}: escalated")
        expect(page.locator("#current")).to_contain_text(f"Now: REQ-{minor.id}")

        form = page.locator("form.decide-form")
        form.get_by_label("Backlog").check()
        form.get_by_label(re.compile("^Rationale")).fill("One customer, cosmetic")
        form.get_by_role("button", name="Record the decision").click()
        expect(page.locator("#current")).to_contain_text("Every request is decided")
        expect(page.locator("#decided li")).to_have_count(2)
    shown = factories.ask(uow, intake.show_request, ShowRequest(urgent.id or 0)).request
    assert shown.status is RequestStatus.ESCALATED
    assert shown.decision is not None and shown.decision.meeting_id is not None
    assert shown.decision.escalation_id is not None
    assert product.id is not None
