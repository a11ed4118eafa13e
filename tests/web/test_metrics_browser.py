"""Metrics and the survey in real headless Chromium (R-MET, R-SLA-4): the charts are there, a
filter redraws them, the numbers open with one click; a contact answers the survey once."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect
from sqlalchemy import select

from escdesk.services import auth
from escdesk.store.tables import OutboxRow, SurveyRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.store.test_metrics import T0, build
from tests.web.live import CHROMIUM, serving
from tests.web.pages import Clock

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"
SHOTS = os.environ.get("ESCDESK_SCREENSHOTS")


def test_the_metrics_page_and_the_survey_in_the_browser(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, clock: Clock
) -> None:
    build(uow)
    clock.now = T0 + timedelta(days=2)
    with uow:
        unanswered = uow.session.scalar(
            select(OutboxRow.payload)
            .join(SurveyRow, SurveyRow.id == OutboxRow.subject_id)
            .where(OutboxRow.subject_type == "survey", SurveyRow.answered_at.is_(None))
            .order_by(SurveyRow.id)
        )
    assert unanswered is not None
    me = factories.add_person(uow, "executive", now=T0, name="Eve Exec")
    auth.set_password(uow, me.email, PASSWORD, T0)
    with serving(app) as base:
        page.goto(f"{base}{unanswered['survey_path']}")  # no sign-in
        expect(page.get_by_role("heading", name="How satisfied are you?")).to_be_visible()
        expect(page.locator("body")).not_to_contain_text("Sign out")
        page.get_by_label("4").check()
        page.get_by_label("Anything you would like to add").fill("Kept us informed")
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / "survey.png"), full_page=True)
        page.get_by_role("button", name="Send my answer").click()
        expect(page.locator("body")).to_contain_text("Your answer is recorded: 4 out of 5")
        page.reload()
        expect(page.locator("body")).to_contain_text("already answered")

        page.goto(f"{base}/login")
        page.get_by_label("E-mail").fill(me.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{base}/figures?since=2026-10-04&until=2026-11-01")
        for chart in ("csat", "volume", "time-to-close", "breaches"):
            expect(page.locator(f"svg#chart-{chart}")).to_be_visible()
        bars = page.locator('svg#chart-time-to-close rect[data-series="median hours"]')
        expect(bars).to_have_count(2)
        if SHOTS:
            page.screenshot(path=str(Path(SHOTS) / "metrics.png"), full_page=True)
        table = page.locator("#h-time_to_close ~ details table")
        expect(table).to_be_hidden()
        page.locator("#h-time_to_close ~ details summary").click()
        expect(table).to_contain_text("40.0")
        page.locator("select[name=severity]").select_option("high")
        page.get_by_role("button", name="Show").click()
        expect(bars).to_have_count(1)
        expect(page.locator("svg#chart-time-to-close")).not_to_contain_text("medium")
