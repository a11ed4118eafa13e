"""After the escalation in real headless Chromium (R-RCA-1/2, R-FIX-1/2, R-RCA-3): close a
product escalation, write its retrospective with two follow-ups, attach a support-written fix,
accept it, ship it in an interim release, and see the recurring issue marked fixed and the
requester told — the notice written in the shipping transaction."""

from __future__ import annotations

import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Page, expect
from sqlalchemy import select

from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.services import auth, fixes, releases
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.after_factories import engineering_escalation
from tests.web.live import CHROMIUM, serving

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
PASSWORD = "a long enough password"
SHOTS = os.environ.get("ESCDESK_SCREENSHOTS")
"""A directory to save the README's screenshots into, when set."""


def shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / name), full_page=True)


def test_after_the_escalation_from_closing_to_a_shipped_fix_in_the_browser(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    me = factories.add_person(uow, "manager", "support", now=now, name="Mia Manager")
    auth.set_password(uow, me.email, PASSWORD, now)
    esc = engineering_escalation(uow, now=now - timedelta(days=2), summary="Exports stall")
    with uow:
        issue = RecurringIssue("Exports stall on big tenants", now - timedelta(days=30),
                               IssueStatus.CONFIRMED, named=True)  # fmt: skip
        issue.escalation_ids.add(esc.id or 0)
        uow.recurring.add(issue)
        uow.commit()
    with serving(app) as base:
        page.goto(f"{base}/login")
        page.get_by_label("E-mail").fill(me.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()

        page.goto(f"{base}/escalations/{esc.id}")
        page.locator("summary", has_text="Close").click()
        page.get_by_label("Agreed by").fill("Jo Chen, CTO")
        page.get_by_label("When").fill(now.strftime("%Y-%m-%dT%H:%M"))
        page.get_by_label("How").select_option("email")
        page.locator("#close-rca").fill("https://wiki.example.com/rca/12")
        page.locator("input[name=waive_1]").fill("Jo agreed the fix is proven")
        page.get_by_role("button", name="Close the escalation").click()
        expect(page.get_by_role("status")).to_contain_text("Closed")

        page.get_by_role("link", name="After").click()
        page.get_by_role("link", name=re.compile(f"ESC-{esc.id}")).click()
        expect(page.get_by_role("heading", name="Retrospective: Exports stall")).to_be_visible()
        expect(page.locator("#timeline + table, table").first).to_contain_text(
            "closed the escalation"
        )
        page.get_by_label("Category").select_option("design")
        page.get_by_label("Summary").fill("The export button invited a full export")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator("#root-cause")).to_contain_text("design or usability")
        page.get_by_label("Add one").fill("The docs never said exports were unpaged")
        page.get_by_role("button", name="Add missed opportunity").click()
        expect(page.get_by_role("status")).to_have_text("The missed opportunity is noted.")
        due = (now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
        for title in ("Page exports by default", "Document export limits"):
            page.get_by_label("Action", exact=True).fill(title)
            page.get_by_label("Owner e-mail").fill(me.email)
            page.get_by_label("Due UTC").fill(due)
            page.get_by_role("button", name="Add follow-up").click()
            expect(page.get_by_role("status")).to_have_text("The follow-up action is added.")
        expect(page.locator("#follow-ups li")).to_have_count(2)
        page.get_by_role("button", name="Complete the retrospective").click()
        expect(page.locator("#retro-status")).to_have_text("completed")
        shot(page, "retrospective.png")

        page.goto(f"{base}/fixes")
        page.get_by_label("What it fixes").fill("Page exports by default")
        page.get_by_label("Kind").select_option("pull_request")
        page.get_by_label("Pull or merge request URL").fill("https://github.com/acme/app/pull/77")
        page.get_by_label("Escalation").fill(f"ESC-{esc.id}")
        page.get_by_label("Recurring issue").fill(str(issue.id))
        page.get_by_role("button", name="Send to Engineering").click()
        expect(page.locator("#queue")).to_contain_text("Page exports by default")
        page.get_by_role("button", name="Accept").click()
        expect(page.get_by_role("status")).to_contain_text("is accepted")

        page.goto(f"{base}/releases")
        page.get_by_label("Version").fill("7.3.1")
        page.get_by_label("Planned date").fill(now.date().isoformat())
        page.get_by_role("button", name="Plan").click()
        expect(page.get_by_role("status")).to_have_text("7.3.1 is planned.")
        page.get_by_role("button", name="Add to 7.3.1").click()
        expect(page.locator("#release-notes")).to_contain_text("1. Page exports by default")
        page.get_by_role("button", name="Ship 7.3.1").click()
        expect(page.locator("#release-status")).to_have_text("shipped")
        shot(page, "release.png")

        page.goto(f"{base}/recurring/{issue.id}")
        expect(page.locator("body")).to_contain_text("release 7.3.1")
        expect(page.locator(".badge").first).to_have_text("fixed")

    with uow:
        requester = uow.people.get(esc.dri_id).email
        told = list(uow.session.scalars(
            select(OutboxRow.destination).where(OutboxRow.subject_type == "release")))  # fmt: skip
    assert requester in told and esc.channel in told


def test_support_drags_a_fix_to_the_top_of_the_release(
    app: FastAPI, page: Page, uow: SqlUnitOfWork, now: datetime
) -> None:
    me = factories.add_person(uow, "manager", "support", now=now, name="Mia Manager")
    auth.set_password(uow, me.email, PASSWORD, now)
    esc = engineering_escalation(uow, now=now - timedelta(days=1))
    ids = []
    for title in ("Fix one", "Fix two"):
        cmd = fixes.SubmitFix.parse(title=title, kind="workaround", content="steps",
                                    escalation_id=esc.id)  # fmt: skip
        fix = factories.act(uow, cmd, now=now, by=me.email, handler=fixes.submit_fix)
        review = fixes.ReviewFix.parse(fix_id=fix.id, decision="accept")
        factories.act(uow, review, now=now, by=me.email, handler=fixes.review_fix)
        ids.append(fix.id)
    plan = releases.PlanRelease("8.0.1", now.date())
    factories.act(uow, plan, now=now, by=me.email, handler=releases.plan_release)
    for fix_id in ids:
        add = releases.AddToRelease("8.0.1", fix_id)
        factories.act(uow, add, now=now, by=me.email, handler=releases.add_to_release)
    with serving(app) as base:
        page.goto(f"{base}/login")
        page.get_by_label("E-mail").fill(me.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto(f"{base}/releases/8.0.1")
        rows = page.locator("#release-contents tbody tr")
        expect(rows.first).to_contain_text("Fix one")
        rows.nth(1).drag_to(rows.first)
        expect(page.get_by_role("status")).to_have_text("The order is saved.")
        expect(page.locator("#release-contents tbody tr").first).to_contain_text("Fix two")
        expect(page.locator("#release-notes")).to_contain_text("1. Fix two (workaround)")
