"""The scheduler inside the worker (R-ESC-6, R-ESC-10, R-SLA-3), with a controllable clock:
pre-breach warnings once per due moment (also across restarts), a percentage lead, warnings
held until working hours open, overdue notices, standup reminders, breaches recorded once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from escdesk.adapters.holidays import PublicHolidays
from escdesk.domain.clock import Audience
from escdesk.domain.reminders import Lead, ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.notify.scheduler import run_pass, scheduler_job
from escdesk.notify.worker import Worker
from escdesk.services import calendars
from escdesk.services.escalation_commands import PostUpdate
from escdesk.store.tables import BreachRow, OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

BASE = "https://desk.example"
HOUR = timedelta(hours=1)


def reminders(engine: Engine) -> list[dict[str, object]]:
    with SqlUnitOfWork(engine) as uow:
        rows = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.subject_type == "reminder").order_by(OutboxRow.id)
        )
        return [dict(r.payload) for r in rows]


def one_pass(engine: Engine, now: datetime, lead: str = "1h"):  # type: ignore[no-untyped-def]
    policy = ReminderPolicy(Lead.parse(lead))
    return run_pass(lambda: SqlUnitOfWork(engine), now, DEFAULT_POLICY, policy, BASE)


def test_a_warning_goes_once_per_due_moment_even_when_the_worker_restarts(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, severity="medium")  # internal due in 7 days
    due = now + timedelta(days=7)
    assert one_pass(engine, due - 2 * HOUR).reminders_due == 0  # not yet: the lead is 1 h
    first = one_pass(engine, due - 30 * timedelta(minutes=1))
    assert (first.reminders_due, first.reminders_written) == (2, 2)  # internal and customer
    for restart in range(2):  # a new worker each time, same database
        job = scheduler_job(
            lambda: SqlUnitOfWork(engine), DEFAULT_POLICY, lead="1h", standup_minutes=10,
            base_url=BASE, every=timedelta(minutes=1),
        )  # fmt: skip
        worker = Worker(
            uow_factory=lambda: SqlUnitOfWork(engine), transports=[],
            clock=lambda r=restart: due - timedelta(minutes=20 - r), periodic=[job],
        )  # fmt: skip
        worker.run_periodic()
    sent = reminders(engine)
    assert [(p["reminder"], p["audience"]) for p in sent] == [
        ("warning", "internal"),
        ("warning", "customer"),
    ]
    assert sent[0]["escalation_id"] == esc.id and BASE in str(sent[0]["text"])


def test_a_percentage_lead_warns_at_that_share_of_the_commitment(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.open_escalation(uow, now=now, severity="medium")
    due = now + timedelta(days=7)
    lead = timedelta(days=7) * 0.2  # 33.6 h
    assert one_pass(engine, due - lead - timedelta(minutes=1), "20%").reminders_due == 0
    assert one_pass(engine, due - lead + timedelta(minutes=1), "20%").reminders_written == 2


def test_a_warning_outside_working_hours_is_held_until_they_open(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    cmd = calendars.AddCalendar.parse(
        name="munich", timezone="Europe/Berlin", hours=["mon-fri 09:00-17:00"]
    )
    factories.act(uow, cmd, now=now, handler=calendars.with_holidays(PublicHolidays()))
    account = factories.add_account(uow, now=now)
    factories.act(
        uow, calendars.SetAccountCalendar(account.name, "munich"), now=now,
        handler=calendars.set_account_calendar,
    )  # fmt: skip
    # Opened Monday 2 Nov 09:00 UTC (10:00 Berlin); medium commitments are 7 business days:
    # due Wednesday 11 Nov 10:00 Berlin. A 3 h lead warns at 07:00 Berlin — before opening.
    factories.open_escalation(uow, now=now, severity="medium", account=account.name)
    early = datetime(2026, 11, 11, 7, 30, tzinfo=berlin)
    assert one_pass(engine, early, "3h").reminders_due == 0
    opening = datetime(2026, 11, 11, 9, 0, tzinfo=berlin)
    assert one_pass(engine, opening, "3h").reminders_written == 2


def test_an_overdue_notice_and_its_breach_are_recorded_once_and_resolved_by_the_update(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, severity="medium")
    assert esc.id is not None
    late = now + timedelta(days=7, hours=3)
    report = one_pass(engine, late)
    assert (report.reminders_written, report.breaches_recorded) == (2, 2)
    again = one_pass(engine, late + HOUR)
    assert (again.reminders_written, again.breaches_recorded, again.breaches_resolved) == (0, 0, 0)
    with uow:
        dri = str(uow.escalations.get(esc.id).dri_id)
    factories.act(uow, PostUpdate(esc.id, Audience.INTERNAL, "Found it"), now=late + HOUR, by=dri)
    after = one_pass(engine, late + 2 * HOUR)
    assert after.breaches_resolved == 1
    with SqlUnitOfWork(engine) as u:
        rows = u.session.scalars(select(BreachRow).order_by(BreachRow.audience)).all()
        seen = [(r.audience, r.resolved_at is not None) for r in rows]
    assert seen == [
        ("customer", False),
        ("internal", True),
    ]
    assert [p["reminder"] for p in reminders(engine)] == ["overdue", "overdue"]


def test_standup_reminders_come_ten_minutes_before_each_standup(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    factories.open_escalation(uow, now=now, severity="medium")  # weekly standups
    first = now + timedelta(days=1)  # the first within 24 h of opening
    assert one_pass(engine, first - timedelta(minutes=11)).reminders_due == 0
    assert one_pass(engine, first - timedelta(minutes=9)).reminders_written == 1
    assert one_pass(engine, first - timedelta(minutes=5)).reminders_written == 0
    sent = reminders(engine)
    assert sent[-1]["reminder"] == "standup" and "/tracker" in str(sent[-1]["text"])


def test_one_snooze_with_a_reason_holds_the_reminders_of_that_due_moment_back(
    engine: Engine, uow: SqlUnitOfWork, now: datetime
) -> None:
    import pytest

    from escdesk.domain.errors import StateRefused
    from escdesk.services import pauses

    esc = factories.open_escalation(uow, now=now, severity="medium")
    assert esc.id is not None
    with uow:
        dri = str(uow.escalations.get(esc.id).dri_id)
    due = now + timedelta(days=7)
    snooze = pauses.SnoozeReminders(esc.id, Audience.INTERNAL, "Fix build due", 2 * HOUR)
    factories.act(uow, snooze, now=due - 2 * HOUR, by=dri, handler=pauses.snooze_reminders)
    with pytest.raises(StateRefused, match="once"):
        factories.act(uow, snooze, now=due - 2 * HOUR, by=dri, handler=pauses.snooze_reminders)
    held = one_pass(engine, due - 30 * timedelta(minutes=1))  # inside the snooze
    assert held.reminders_due == 1  # only the customer warning
    after = one_pass(engine, due + timedelta(minutes=5))  # the snooze is over: overdue notices
    assert after.reminders_written == 2 and after.breaches_recorded == 2
    with uow:
        history = [e.type for e in uow.escalations.events(esc.id)]
    assert "reminder_snoozed" in history
