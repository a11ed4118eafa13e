"""The dashboard a support lead opens every morning, and the filtered escalation list."""

from __future__ import annotations

from datetime import datetime, timedelta

from fastapi import FastAPI

from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Clock, Visitor, text_of, visitor


def test_the_dashboard_counts_open_escalations_by_severity(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.open_escalation(uow, now=now, severity="high")
    factories.open_escalation(uow, now=now)
    factories.open_escalation(uow, now=now)
    text = text_of(manager.get("/").text)
    assert "3 open escalations" in text
    assert "0 Critical 1 High 2 Medium 0 Low" in text
    assert "Critical 0 open" not in text  # empty severities get no group


def test_overdue_updates_and_slipped_or_missed_etas_need_attention(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime, clock: Clock
) -> None:
    quiet = factories.open_escalation(uow, now=now, summary="Quiet one", eta=None)
    late = factories.open_escalation(
        uow, now=now - timedelta(days=8), summary="Late one", eta=now - timedelta(days=1)
    )
    text = text_of(manager.get("/").text)
    attention = text.split("Needs attention")[1].split("My escalations")[0]
    assert "Late one" in attention and "Quiet one" not in attention
    assert "Customer update late" in attention and "ETA missed" in attention
    assert f"ESC-{quiet.id}" in text.split("Open escalations by severity")[1]
    clock.now = now + timedelta(days=8)  # a week of silence, within the session
    everything_late = text_of(manager.get("/").text).split("Needs attention")[1]
    assert "Quiet one" in everything_late.split("My escalations")[0]
    assert late.id != quiet.id


def test_my_escalations_are_those_i_own_and_high_ones_put_accounts_at_risk(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    with visitor(app, uow, now, "csm", name="Carla CSM") as csm:
        account = factories.add_account(uow, now=now, name="Helios Bank", csm=csm.person.email)
        high = factories.open_escalation(uow, now=now, severity="high", account=account.name)
        factories.open_escalation(uow, now=now)
        text = text_of(csm.get("/").text)
    mine = text.split("My escalations")[1].split("Accounts at risk")[0]
    assert mine.startswith(" 1 ")
    assert f"ESC-{high.id} Helios Bank High DRI" in mine
    assert "Helios Bank strategic" not in text  # an enterprise account, as the factory makes it
    at_risk = text.split("Accounts at risk")[-1]
    assert "Helios Bank enterprise · 1 open critical or high escalation 120,000 1" in at_risk


def test_the_list_filters_by_severity_and_names_a_wrong_filter(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.open_escalation(uow, now=now, severity="high", summary="The high one")
    factories.open_escalation(uow, now=now, summary="The medium one")
    high = text_of(manager.get("/escalations?severity=high").text)
    assert "The high one" in high and "The medium one" not in high
    assert "1 matching" in high
    wrong = manager.get("/escalations?account=Nobody+Inc")
    assert wrong.status_code == 422
    assert "Account no account 'Nobody Inc'." in text_of(wrong.text)


def test_closed_escalations_are_listed_only_when_asked(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, summary="Done and dusted")
    manager.post(
        f"/escalations/{esc.id}/close",
        {
            "agreed_by": "Jo",
            "agreed_at": now.strftime("%Y-%m-%dT%H:%M"),
            "agreed_via": "call",
            "waive_1": "Jo agreed the stall is gone",
            "version": esc.version,
        },
    )
    assert "Done and dusted" not in manager.get("/escalations").text
    assert "Done and dusted" in manager.get("/escalations?closed=1").text
