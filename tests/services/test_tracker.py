"""R-ESC-11: the tracker document is rendered from state; R-ESC-4: its checklist from the outbox."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine, update

from escdesk.domain.checklist import StepState
from escdesk.domain.clock import Audience
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import accounts
from escdesk.services.escalation_commands import (
    ChangeExitCriteria,
    CloseEscalation,
    PostUpdate,
    SetEta,
    agreement_from,
)
from escdesk.services.tracker import TrackerState, load_tracker, render_tracker, tracker_document
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

BASE = "https://desk.example.com"


def _state(uow: SqlUnitOfWork, esc_id: int, now: datetime, policy: SeverityPolicy) -> TrackerState:
    return load_tracker(uow, esc_id, now=now, policy=policy)


def _steps(state: TrackerState) -> dict[str, StepState]:
    return {step.key: step.state for step in state.checklist}


def test_the_tracker_names_owners_ask_skills_and_exit_criteria(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now, summary="Runners time out at peak hours")
    assert esc.id is not None
    doc = render_tracker(_state(uow, esc.id, now, policy), base_url=BASE)
    assert doc.startswith(f"# Escalation ESC-{esc.id}: {esc.customer}\n")
    assert "Runners time out at peak hours" in doc
    assert esc.initial_ask in doc
    assert "- PostgreSQL\n- production log analysis" in doc
    assert "1. [ ] p95 pipeline start under 30 s for a week" in doc
    assert f"{BASE}/escalations/{esc.id}/tracker" in doc
    assert "| Severity | Medium (Weekly to bi-weekly) |" in doc


def test_the_tracker_is_never_stale_because_it_is_rendered_from_state(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    before = tracker_document(
        uow, esc.id, now=now, policy=policy, base_url=BASE, include_internal=True
    )
    later = now + timedelta(hours=2)
    factories.act(
        uow,
        PostUpdate(esc.id, Audience("internal"), "Root cause: a runaway cron job"),
        now=later,
        policy=policy,
    )
    factories.act(uow, ChangeExitCriteria(esc.id, done=(1,)), now=later)
    after = tracker_document(
        uow, esc.id, now=later, policy=policy, base_url=BASE, include_internal=True
    )
    assert "Root cause: a runaway cron job" not in before
    assert "Root cause: a runaway cron job" in after
    assert "1. [x] p95 pipeline start under 30 s for a week" in after
    assert "| Status | Active |" in after


def test_internal_updates_are_left_out_for_readers_without_internal_access(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    for audience, body in (("internal", "Suspect the DB failover"), ("customer", "We are on it")):
        factories.act(uow, PostUpdate(esc.id, Audience(audience), body), now=now, policy=policy)
    state = _state(uow, esc.id, now, policy)
    internal = render_tracker(state, base_url=BASE, include_internal=True)
    outside = render_tracker(state, base_url=BASE, include_internal=False)
    assert "Suspect the DB failover" in internal and "We are on it" in internal
    assert "Suspect the DB failover" not in outside
    assert "Internal updates" not in outside
    assert "We are on it" in outside


def test_eta_slips_and_a_missed_eta_are_visible(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now, eta=now + timedelta(days=1))
    assert esc.id is not None
    factories.act(uow, SetEta(esc.id, now + timedelta(days=3), "vendor | patch late"), now=now)
    doc = render_tracker(_state(uow, esc.id, now + timedelta(days=4), policy), base_url=BASE)
    assert "(missed), slipped 1×" in doc
    assert "**(slip)**" in doc
    assert "vendor \\| patch late" in doc  # a pipe in user text keeps the table's columns


def test_the_opening_checklist_follows_what_the_outbox_delivered(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    queued = _steps(_state(uow, esc.id, now + timedelta(minutes=10), policy))
    assert queued["channel"] is StepState.PENDING
    assert queued["declaration"] is StepState.PENDING
    late = _steps(_state(uow, esc.id, now + timedelta(hours=2), policy))
    assert late["channel"] is StepState.OVERDUE
    with engine.begin() as connection:
        connection.execute(update(OutboxRow).values(delivered_at=now + timedelta(minutes=1)))
    delivered = _state(uow, esc.id, now + timedelta(hours=2), policy)
    assert _steps(delivered)["channel"] is StepState.DONE
    assert _steps(delivered)["opening_message"] is StepState.DONE
    assert _steps(delivered)["declaration"] is StepState.DONE
    doc = render_tracker(delivered, base_url=BASE)
    assert f"- [x] Create the channel {esc.channel}: done" in doc


def test_a_failing_delivery_says_why_in_the_checklist(
    uow: SqlUnitOfWork, engine: Engine, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    with engine.begin() as connection:
        connection.execute(update(OutboxRow).values(attempts=3, last_error="chat is down"))
    step = _state(uow, esc.id, now, policy).checklist[0]
    assert step.note == "delivery failing after 3 attempts: chat is down"


def test_critical_and_high_escalations_need_the_tracker_and_the_account_at_risk(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    medium = factories.open_escalation(uow, now=now)
    high = factories.open_escalation(uow, now=now, severity="high")
    assert medium.id is not None and high.id is not None
    medium_steps = _steps(_state(uow, medium.id, now, policy))
    high_steps = _steps(_state(uow, high.id, now, policy))
    assert medium_steps["tracker"] is StepState.NOT_REQUIRED
    assert medium_steps["account_at_risk"] is StepState.NOT_REQUIRED
    assert high_steps["tracker"] is StepState.DONE
    assert high_steps["account_at_risk"] is StepState.PENDING  # the DRI's step (seed 004)


def test_the_account_at_risk_step_is_done_once_a_person_sets_the_sentiment(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    high = factories.open_escalation(uow, now=now, severity="high")
    assert high.id is not None
    account = factories.ask(uow, accounts.show_account, accounts.ShowAccount(str(high.account_id)))
    edit = accounts.EditAccount.parse(key=account.account.name, sentiment="at_risk")
    factories.act(uow, edit, now=now, handler=accounts.edit_account)
    assert _steps(_state(uow, high.id, now, policy))["account_at_risk"] is StepState.DONE


def test_the_standup_cadence_is_overdue_a_day_after_opening_until_invites_go_out(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now, severity="low")
    medium = factories.open_escalation(uow, now=now)
    assert esc.id is not None and medium.id is not None
    assert _steps(_state(uow, esc.id, now, policy))["standup"] is StepState.NOT_REQUIRED
    assert _steps(_state(uow, medium.id, now, policy))["standup"] is StepState.PENDING
    next_day = now + timedelta(hours=25)
    assert _steps(_state(uow, medium.id, next_day, policy))["standup"] is StepState.OVERDUE


def test_a_closed_escalation_shows_the_customer_agreement_and_no_due_updates(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    later = now + timedelta(days=2)
    factories.act(
        uow,
        CloseEscalation(
            esc.id,
            agreement_from("Jo Chen, CTO", later - timedelta(hours=1), "email"),
            waivers=factories.WAIVED,
        ),
        now=later,
    )
    doc = render_tracker(_state(uow, esc.id, later, policy), base_url=BASE)
    assert "- Customer agreement: Jo Chen, CTO, 2026-11-04 08:00 UTC, by email" in doc
    assert "| Status | Closed |" in doc
    assert "Next internal update" not in doc
