"""R-OPS-2, what is internal, field by field (domain/visibility.py), walked for every role:
ETA reasons, owner and severity change reasons, the monitoring note, who agreed and how, and
the RCA reference reach only readers with read_internal — in the escalation's JSON, its
trail, its page and its tracker.md."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from escdesk.domain.access import ROLE_PERMISSIONS, Permission
from escdesk.domain.escalation import Escalation
from escdesk.domain.people import Role
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import person_client

SECRETS = {
    "ETA reason": "SECRET-eta-vendor-slipped",
    "owner change reason": "SECRET-owner-burnout",
    "severity change reason": "SECRET-severity-argument",
    "monitoring note": "SECRET-monitoring-watch",
    "who agreed": "SECRET-agreed-Eve",
    "RCA reference": "SECRET-rca-doc",
}


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


@pytest.fixture
def closed(manager: TestClient, uow: SqlUnitOfWork, now: datetime) -> Escalation:
    esc = factories.open_escalation(uow, now=now)
    other = factories.add_person(uow, "support", now=now, name="Other Owner")
    base = f"/api/escalations/{esc.id}"
    steps = [
        ("eta", {"eta": iso(now + timedelta(days=9)), "reason": SECRETS["ETA reason"]}),
        ("dri", {"person": other.email, "reason": SECRETS["owner change reason"]}),
        ("severity", {"severity": "low", "reason": SECRETS["severity change reason"]}),
        ("updates", {"audience": "customer", "body": "A fix is in testing"}),
        ("monitor", {"note": SECRETS["monitoring note"]}),
        ("exit-criteria", {"done": [1]}),
        (
            "close",
            {
                "agreed_by": SECRETS["who agreed"],
                "agreed_at": iso(now),
                "agreed_via": "email",
                "rca_reference": SECRETS["RCA reference"],
            },
        ),
    ]
    for action, body in steps:
        response = manager.post(f"{base}/{action}", json=body)
        assert response.status_code == 200, (action, response.text)
    assert manager.get(base).json()["status"] == "closed"
    return esc


def reads(client: TestClient, esc: Escalation) -> dict[str, str]:
    return {
        "JSON": client.get(f"/api/escalations/{esc.id}").text,
        "trail": client.get(f"/api/escalations/{esc.id}/history").text,
        "page": client.get(f"/escalations/{esc.id}").text,
        "tracker.md": client.get(f"/escalations/{esc.id}/tracker.md").text,
    }


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_internal_text_reaches_exactly_the_roles_that_may_read_it(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, closed: Escalation, role: Role
) -> None:
    _, client = person_client(app, uow, now, role.value)
    may = Permission.READ_INTERNAL in ROLE_PERMISSIONS[role]

    faces = reads(client, closed)
    if "# Escalation" not in faces["tracker.md"]:
        del faces["tracker.md"]  # this role may not read the tracker at all
    assert all("A fix is in testing" in faces[f] for f in faces if f != "trail"), role
    for field, secret in SECRETS.items():
        seen_in = [face for face, text in faces.items() if secret in text]
        if may:
            assert seen_in, f"{role.value} may read the {field} but sees it nowhere"
        else:
            assert not seen_in, f"{role.value} sees the {field} in the {', '.join(seen_in)}"


def test_a_reader_without_internal_access_still_sees_what_the_customer_may_know(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime, closed: Escalation
) -> None:
    _, sales = person_client(app, uow, now, "sales")
    body = sales.get(f"/api/escalations/{closed.id}").json()
    assert body["severity"] == "low" and body["status"] == "closed"
    assert body["eta_changes"][0]["new_eta"] is not None
    assert body["eta_changes"][0]["reason"] is None
    assert body["owner_changes"][-1]["new"]["id"] is not None
    assert body["agreement"]["agreed_at"] is not None
    assert body["agreement"]["agreed_by"] is None and body["rca_reference"] is None
