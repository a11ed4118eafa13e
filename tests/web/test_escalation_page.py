"""R-ESC-4/5/8/11 on the escalation page: what it shows, and to whom (R-OPS-2)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import Engine, select, update

from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole
from escdesk.domain.severity import SeverityPolicy
from escdesk.services.escalation_commands import AssignOwner, PostUpdate
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Clock, Visitor, text_of, visitor


def test_the_page_shows_ask_skills_owners_checklist_exit_criteria_and_trail(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, summary="Runners time out at peak hours")
    page = manager.get(f"/escalations/{esc.id}")
    assert page.status_code == 200
    text = text_of(page.text)
    assert f"ESC-{esc.id} · {esc.customer}" in text
    assert "Runners time out at peak hours" in text
    assert esc.initial_ask in text
    assert "PostgreSQL production log analysis" in text
    assert "Create the channel " + esc.channel in text
    assert "Declare the escalation in #escalated_customers" in text
    assert "Create the escalation tracker document : not required" in text
    assert "1. p95 pipeline start under 30 s for a week" in text
    assert "Opened as medium" in text  # the audit trail


def test_overdue_updates_and_a_missed_eta_are_highlighted(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, clock: Clock
) -> None:
    esc = factories.open_escalation(uow, now=now, eta=now + timedelta(days=2))
    on_time = text_of(manager.get(f"/escalations/{esc.id}").text)
    assert "overdue" not in on_time.split("Post an update")[0]
    clock.now = now + timedelta(days=9)
    late = text_of(manager.get(f"/escalations/{esc.id}").text)
    assert "Next internal update 2 d overdue" in late
    assert "Next customer update 2 d overdue" in late
    assert "· missed" in late


def test_internal_updates_are_hidden_from_readers_without_internal_access(
    app: FastAPI, manager: Visitor, uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    for audience, body in (("internal", "Suspect the DB failover"), ("customer", "We are on it")):
        factories.act(uow, PostUpdate(esc.id, Audience(audience), body), now=now, policy=policy)
    assert "Suspect the DB failover" in manager.get(f"/escalations/{esc.id}").text
    with visitor(app, uow, now, "sales") as sales:
        page = sales.get(f"/escalations/{esc.id}")
        tracker = sales.get(f"/escalations/{esc.id}/tracker.md")
    assert page.status_code == 200
    assert "We are on it" in page.text
    assert "Suspect the DB failover" not in page.text  # neither in the timeline nor the trail
    assert "Posted an internal update" in text_of(page.text)
    assert "Suspect the DB failover" not in tracker.text
    assert "We are on it" in tracker.text


def test_forms_are_offered_only_to_those_allowed_to_use_them(
    app: FastAPI, manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    everything = manager.get(f"/escalations/{esc.id}").text
    for action in ("update", "severity", "owners", "eta", "exit-criteria", "monitor", "close"):
        assert f'action="/escalations/{esc.id}/{action}"' in everything
    with visitor(app, uow, now, "sales") as sales:
        page = sales.get(f"/escalations/{esc.id}").text
        refused = sales.post(
            f"/escalations/{esc.id}/update", {"audience": "customer", "body": "hi", "version": 1}
        )
    assert f'action="/escalations/{esc.id}/' not in page
    assert refused.status_code == 403
    assert "may not post update" in text_of(refused.text)


def test_an_unknown_escalation_is_a_page_that_says_so(manager: Visitor) -> None:
    response = manager.get("/escalations/9999")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "escalation 9999 not found" in text_of(response.text)
    assert manager.get("/escalations/not-a-number").status_code == 404


def test_update_text_is_shown_as_markdown_and_never_runs_as_html(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    body = "**Fixed** in <script>alert(1)</script> [docs](javascript:alert(2))"
    factories.act(uow, PostUpdate(esc.id, Audience("internal"), body), now=now, policy=policy)
    page = manager.get(f"/escalations/{esc.id}").text
    assert "<strong>Fixed</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert 'href="javascript:' not in page


def test_the_tracker_is_printable_html_and_raw_markdown_rendered_from_state(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    html = manager.get(f"/escalations/{esc.id}/tracker")
    raw = manager.get(f"/escalations/{esc.id}/tracker.md")
    assert html.status_code == raw.status_code == 200
    assert raw.headers["content-type"] == "text/markdown; charset=utf-8"
    assert raw.text.startswith(f"# Escalation ESC-{esc.id}: {esc.customer}")
    assert "http://desk.example.com/escalations/" in raw.text
    assert f"<h1>Escalation ESC-{esc.id}: {esc.customer}</h1>" in html.text
    assert "<table>" in html.text
    manager.post(f"/escalations/{esc.id}/exit-criteria", {"done": "1", "version": esc.version})
    assert "1. [x] p95 pipeline start" in manager.get(f"/escalations/{esc.id}/tracker.md").text


def test_a_wrong_filter_value_names_the_field_instead_of_failing(manager: Visitor) -> None:
    response = manager.get("/escalations?page=0")
    assert response.status_code == 422
    assert "Page '0' is not a page. Use 1 for the first page." in text_of(response.text)


def test_a_dead_message_is_shown_with_its_reason_and_can_be_retried_from_the_page(
    app: FastAPI, manager: Visitor, engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    with engine.begin() as connection:
        first = connection.scalar(
            select(OutboxRow.id).where(OutboxRow.escalation_id == esc.id).order_by(OutboxRow.id)
        )
        connection.execute(
            update(OutboxRow)
            .where(OutboxRow.id == first)
            .values(state="dead", attempts=8, last_error="slack: invalid_auth")
        )
    page = text_of(manager.get(f"/escalations/{esc.id}").text)
    assert "Messages 0 of 3 delivered" in page
    assert "dead letter slack.create_channel → " + esc.channel in page
    assert "8 attempts · slack: invalid_auth" in page and "Retry now" in page
    back = manager.post(f"/outbox/{first}/retry", {"back": f"/escalations/{esc.id}"})
    assert back.status_code == 303 and back.headers["location"].startswith(f"/escalations/{esc.id}")
    again = text_of(manager.follow(back).text)
    assert "queued again" in again and "dead letter" not in again
    with visitor(app, uow, now, "sales") as sales:
        assert "Retry now" not in sales.get(f"/escalations/{esc.id}").text


def test_a_retry_never_sends_the_browser_to_another_host(
    manager: Visitor, engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    with engine.begin() as connection:
        first = connection.scalar(select(OutboxRow.id).where(OutboxRow.escalation_id == esc.id))
        connection.execute(update(OutboxRow).where(OutboxRow.id == first).values(state="dead"))
    answer = manager.post(f"/outbox/{first}/retry", {"back": "//evil.example/phish"})
    assert answer.headers["location"].startswith("/outbox")


def test_the_trail_names_a_new_dri_in_plain_words(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    successor = factories.add_person(uow, "support", now=now, name="Noor Support")
    handover = AssignOwner(esc.id, OwnerRole.DRI, successor.email, "going on leave")
    factories.act(uow, handover, now=now + timedelta(minutes=5))
    text = text_of(manager.get(f"/escalations/{esc.id}").text)
    assert re.search(r"DRI [\w. ]+ → Noor Support", text), text
    assert "Dri " not in text
