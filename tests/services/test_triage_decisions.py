"""Triage decisions (R-TRI-3/4): each outcome's effect, and the notice in the same transaction."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from escdesk.domain.errors import Conflict, Forbidden, InvalidInput, RuleRefused
from escdesk.domain.request import RequestStatus
from escdesk.services import escalations as esc_service
from escdesk.services import requests as intake
from escdesk.services import triage
from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.request_commands import DecideRequest, ShowRequest
from escdesk.store import request_repository
from escdesk.store.tables import EducationItemRow
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import act, add_account, add_person, ask
from tests.request_factories import file_request


def decide(uow: SqlUnitOfWork, now: datetime, by: str, **values: object) -> object:
    cmd = DecideRequest.parse(**values)  # type: ignore[arg-type]
    return act(uow, cmd, now=now, by=by, handler=triage.decide_request)


def notices(uow: SqlUnitOfWork, request_id: int) -> list[object]:
    with uow:
        return uow.outbox.listing(None, 100, subject=("request", request_id))


def escalation_total(uow: SqlUnitOfWork) -> int:
    return ask(uow, esc_service.list_escalations, ListEscalations.parse()).total


def test_escalate_opens_the_escalation_run_by_the_requesting_engineer_with_the_tickets(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    engineer = add_person(uow, "support", now=now)
    manager = add_person(uow, "manager", now=now)
    request = file_request(
        uow, now=now, by=engineer.email, tickets=["ZD-1 https://help.example/1", "ZD-2"]
    )
    decided = decide(
        uow,
        now,
        manager.email,
        request_id=request.id,
        outcome="escalated",
        rationale="Paying customer, no workaround their auditors accept",
        eta=now + timedelta(days=5),
    )
    escalation_id = decided.decision.escalation_id
    detail = ask(uow, esc_service.show_escalation, esc_service.ShowEscalation(escalation_id))
    assert detail.escalation.dri_id == engineer.id
    assert detail.escalation.severity == "medium"
    assert detail.escalation.required_skills == ["PostgreSQL"]
    assert "https://help.example/1" in detail.escalation.initial_ask
    with uow:
        assert [t.external_id for t in uow.requests.escalation_tickets(escalation_id)] == [
            "ZD-1",
            "ZD-2",
        ]
    [message] = notices(uow, request.id)
    assert message.destination == engineer.email
    assert message.subject_type == "request"
    assert f"ESC-{escalation_id} is open" in message.payload["body"]
    assert "no workaround their auditors accept" in message.payload["body"]


def test_a_failed_escalation_leaves_the_request_pending_and_nobody_told(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    acct = add_account(uow, now=now)
    manager = add_person(uow, "manager", now=now)
    request = file_request(uow, now=now, account=acct.name, skills=[])
    with pytest.raises(RuleRefused) as refused:
        decide(uow, now, manager.email, request_id=request.id, outcome="escalated", rationale="Go")
    assert refused.value.rule_id == "R-ESC-5"
    assert escalation_total(uow) == 0
    assert ask(uow, intake.show_request, ShowRequest(request.id)).request.decisions == []
    assert notices(uow, request.id) == []


def test_when_the_notice_cannot_be_written_neither_the_escalation_nor_the_decision_is(
    uow: SqlUnitOfWork, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    manager = add_person(uow, "manager", now=now)
    request = file_request(uow, now=now)

    def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("the outbox is full")

    monkeypatch.setattr(request_repository, "outbox_row", broken)
    with pytest.raises(RuntimeError):
        decide(uow, now, manager.email, request_id=request.id, outcome="escalated", rationale="Go")
    monkeypatch.undo()
    assert escalation_total(uow) == 0
    shown = ask(uow, intake.show_request, ShowRequest(request.id)).request
    assert shown.status is RequestStatus.PENDING and shown.decisions == []
    assert notices(uow, request.id) == []


def test_schedule_names_the_release_and_tells_the_requester_when_it_ships(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    product = add_person(uow, "product", now=now)
    request = file_request(uow, now=now)
    with pytest.raises(InvalidInput) as refused:
        decide(uow, now, product.email, request_id=request.id, outcome="scheduled", rationale="x")
    assert refused.value.field == "release"
    decided = decide(
        uow,
        now,
        product.email,
        request_id=request.id,
        outcome="scheduled",
        rationale="Fixed by the export rewrite already planned",
        release="2027.1",
    )
    assert decided.status is RequestStatus.SCHEDULED
    assert decided.decision.release == "2027.1"
    [message] = notices(uow, request.id)
    assert "release 2027.1" in message.payload["body"]
    assert escalation_total(uow) == 0


def test_a_decision_without_rationale_is_refused(uow: SqlUnitOfWork, now: datetime) -> None:
    manager = add_person(uow, "manager", now=now)
    request = file_request(uow, now=now)
    with pytest.raises(InvalidInput) as refused:
        decide(uow, now, manager.email, request_id=request.id, outcome="backlog", rationale=" ")
    assert refused.value.field == "rationale"
    assert notices(uow, request.id) == []


def test_education_creates_the_item_with_owner_and_due_date(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = add_person(uow, "manager", now=now)
    writer = add_person(uow, "support", now=now)
    request = file_request(uow, now=now, problem_type="education")
    with pytest.raises(RuleRefused) as refused:
        decide(uow, now, manager.email, request_id=request.id, outcome="education", rationale="x")
    assert [need.fields for need in refused.value.missing] == [("gap",), ("owner",), ("due",)]
    decided = decide(
        uow,
        now,
        manager.email,
        request_id=request.id,
        outcome="education",
        rationale="The setting exists; nobody could find it",
        gap="No guide explains large exports",
        owner=writer.email,
        due=now + timedelta(days=14),
    )
    with uow:
        item = uow.session.get(EducationItemRow, decided.decision.education_id)
        assert item is not None
        assert (item.gap, item.owner_id, item.due) == (
            "No guide explains large exports",
            writer.id,
            now + timedelta(days=14),
        )


def test_re_triage_keeps_the_history_and_time_to_decision_counts_from_the_first(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = add_person(uow, "manager", now=now)
    request = file_request(uow, now=now)
    later = now + timedelta(hours=25)
    decide(uow, later, manager.email, request_id=request.id, outcome="backlog", rationale="Rare")
    decide(
        uow,
        later + timedelta(days=7),
        manager.email,
        request_id=request.id,
        outcome="scheduled",
        rationale="A second customer hit it",
        release="2027.2",
    )
    shown = ask(uow, intake.show_request, ShowRequest(request.id)).request
    assert [d.outcome for d in shown.decisions] == [RequestStatus.BACKLOG, RequestStatus.SCHEDULED]
    assert shown.status is RequestStatus.SCHEDULED
    assert shown.time_to_decision() == 25
    assert len(notices(uow, request.id)) == 2


def test_support_may_file_but_not_decide(uow: SqlUnitOfWork, now: datetime) -> None:
    engineer = add_person(uow, "support", now=now)
    request = file_request(uow, now=now, by=engineer.email)
    with pytest.raises(Forbidden):
        decide(uow, now, engineer.email, request_id=request.id, outcome="backlog", rationale="x")


def test_a_decision_on_a_stale_version_is_a_conflict_and_opens_no_escalation(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    manager = add_person(uow, "manager", now=now)
    request = file_request(uow, now=now)
    decide(uow, now, manager.email, request_id=request.id, outcome="backlog", rationale="Later")
    with pytest.raises(Conflict):
        decide(
            uow,
            now,
            manager.email,
            request_id=request.id,
            outcome="escalated",
            rationale="Now",
            version=request.version,
        )
    assert escalation_total(uow) == 0
    assert len(notices(uow, request.id)) == 1
