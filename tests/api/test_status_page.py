"""R-OPS-2: the customer status page shows customer-facing text only, to whoever has the link."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from escdesk.domain.escalation import Escalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories


@pytest.fixture
def esc(manager: TestClient, uow: SqlUnitOfWork, now: datetime) -> Escalation:
    """An escalation with an internal note, an owner change and a customer-facing update."""
    escalation = factories.open_escalation(uow, now=now)
    base = f"/api/escalations/{escalation.id}"
    other = factories.add_person(uow, "support", now=now, name="Internal Ivan")
    manager.post(f"{base}/updates", json={"audience": "internal", "body": "INTERNAL: blame DB"})
    manager.post(f"{base}/dri", json={"person": other.email, "reason": "INTERNAL: burnout"})
    manager.post(f"{base}/updates", json={"audience": "customer", "body": "Fix is in testing"})
    return escalation


def publish(client: TestClient, esc: Escalation) -> str:
    response = client.post(f"/api/escalations/{esc.id}/status-page")
    assert response.status_code == 200, response.text
    token: str = response.json()["token"]
    assert response.json()["url"].endswith(f"/status/{token}")
    return token


def test_the_page_shows_customer_updates_exit_criteria_and_eta_to_anyone_with_the_link(
    manager: TestClient, anonymous: TestClient, esc: Escalation
) -> None:
    token = publish(manager, esc)
    page = anonymous.get(f"/api/status/{token}")
    assert page.status_code == 200
    body = page.json()
    assert body["customer"] == esc.customer
    assert [u["body"] for u in body["updates"]] == ["Fix is in testing"]
    assert body["exit_criteria"] == [
        {"text": esc.exit_criteria[0].text, "done": False, "waived_reason": None}
    ]
    assert body["eta"] is not None and body["status"] == "active"


def test_internal_notes_and_people_never_appear(
    manager: TestClient, anonymous: TestClient, esc: Escalation
) -> None:
    text = anonymous.get(f"/api/status/{publish(manager, esc)}").text
    assert "INTERNAL" not in text
    assert "Ivan" not in text
    assert esc.summary not in text and esc.initial_ask not in text


def test_another_escalations_data_never_appears(
    manager: TestClient, anonymous: TestClient, esc: Escalation, uow: SqlUnitOfWork, now: datetime
) -> None:
    other = factories.open_escalation(uow, now=now)
    manager.post(
        f"/api/escalations/{other.id}/updates",
        json={"audience": "customer", "body": "OTHER customer's news"},
    )
    mine = anonymous.get(f"/api/status/{publish(manager, esc)}").text
    theirs = anonymous.get(f"/api/status/{publish(manager, other)}").text
    assert "OTHER" not in mine and other.customer not in mine
    assert "Fix is in testing" not in theirs and esc.customer not in theirs


def test_a_wrong_token_is_a_404(
    manager: TestClient, anonymous: TestClient, esc: Escalation
) -> None:
    token = publish(manager, esc)
    assert anonymous.get(f"/api/status/{token[:-1]}x").status_code == 404
    assert anonymous.get("/api/status/nothing-here").status_code == 404


def test_publishing_twice_gives_the_same_link_and_withdrawing_kills_it(
    manager: TestClient, anonymous: TestClient, esc: Escalation
) -> None:
    token = publish(manager, esc)
    assert publish(manager, esc) == token
    assert manager.get(f"/api/escalations/{esc.id}/status-page").json()["token"] == token
    assert manager.delete(f"/api/escalations/{esc.id}/status-page").status_code == 204
    assert anonymous.get(f"/api/status/{token}").status_code == 404
    assert manager.get(f"/api/escalations/{esc.id}/status-page").status_code == 404
    assert publish(manager, esc) != token


def test_publishing_is_in_the_audit_trail(manager: TestClient, esc: Escalation) -> None:
    publish(manager, esc)
    manager.delete(f"/api/escalations/{esc.id}/status-page")
    trail = manager.get(f"/api/escalations/{esc.id}/history").json()["items"]
    assert [i["type"] for i in trail][-2:] == ["status_page_published", "status_page_unpublished"]


def test_the_customer_summary_is_set_through_the_api_and_is_all_the_page_says_it_is_about(
    manager: TestClient, anonymous: TestClient, esc: Escalation
) -> None:
    token = publish(manager, esc)
    before = anonymous.get(f"/api/status/{token}").json()
    assert before["customer_summary"] is None and before["reference"] == f"ESC-{esc.id}"
    assert before["company_name"] is None  # unset: no company name, and never escdesk's
    current = manager.get(f"/api/escalations/{esc.id}").json()["version"]
    changed = manager.post(
        f"/api/escalations/{esc.id}/customer-summary",
        json={"customer_summary": "Pipelines start late"},
        headers={"If-Match": f'"{current}"'},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["customer_summary"] == "Pipelines start late"
    assert changed.headers["ETag"] == f'"{current + 1}"'
    after = anonymous.get(f"/api/status/{token}")
    assert after.json()["customer_summary"] == "Pipelines start late"
    assert esc.summary not in after.text


def test_an_empty_or_stale_customer_summary_is_refused_and_nothing_changes(
    manager: TestClient, esc: Escalation
) -> None:
    url = f"/api/escalations/{esc.id}/customer-summary"
    empty = manager.post(url, json={"customer_summary": "  "})
    assert empty.status_code == 422 and "customer_summary" in empty.text
    stale = manager.post(url, json={"customer_summary": "Slow", "version": 0})
    assert stale.status_code == 409
    assert manager.get(f"/api/escalations/{esc.id}").json()["customer_summary"] is None
