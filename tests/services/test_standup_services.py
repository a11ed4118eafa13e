"""The standup cadence as a real object (R-ESC-10): set from the escalation, read back from the
trail, the checklist's step done, the next standup and its reminder following it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select

from escdesk.domain.errors import InvalidInput
from escdesk.domain.reminders import ReminderPolicy
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.domain.standups import StandupPlan
from escdesk.notify.scheduler import run_pass
from escdesk.services import standups
from escdesk.services.tracker import load_tracker
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")


def test_a_plan_meets_at_its_local_wall_time_across_summer_time() -> None:
    plan = StandupPlan.parse(days="mon,thu", at="09:15", timezone="Europe/Berlin", attendees=[])
    # Thursday 26 March 2026 is still winter time; Monday 30 March is summer time.
    after = datetime(2026, 3, 26, 12, 0, tzinfo=UTC)
    assert plan.next_after(after) == datetime(2026, 3, 30, 7, 15, tzinfo=UTC)
    assert plan.next_after(datetime(2026, 3, 23, 0, 0, tzinfo=UTC)) == datetime(
        2026, 3, 23, 8, 15, tzinfo=UTC
    )
    for bad in ({"days": "someday"}, {"at": "9am"}, {"timezone": "Mars/Base"}):
        values = {"days": "mon", "at": "09:00", "timezone": "UTC", "attendees": []} | bad
        with pytest.raises(InvalidInput):
            StandupPlan.parse(**values)  # type: ignore[arg-type]


def test_setting_the_cadence_ticks_the_checklist_invites_and_drives_the_reminder(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, severity="high")
    assert esc.id is not None
    with uow:
        dri = str(uow.escalations.get(esc.id).dri_id)
    before = load_tracker(uow, esc.id, now=now, policy=DEFAULT_POLICY)
    assert next(s for s in before.checklist if s.key == "standup").state.value != "done"
    plan = StandupPlan.parse(
        days="tue,fri", at="10:00", timezone="Europe/Berlin", attendees=["a@example.com"]
    )
    factories.act(
        uow, standups.SetStandup(esc.id, plan, "https://desk.example/t"), now=now, by=dri,
        handler=standups.set_standup,
    )  # fmt: skip
    state = load_tracker(uow, esc.id, now=now, policy=DEFAULT_POLICY)
    step = next(s for s in state.checklist if s.key == "standup")
    assert step.state.value == "done" and "tue, fri at 10:00" in step.note
    # now is Monday 2 Nov 09:00 UTC: the next standup is Tuesday 10:00 in Berlin (09:00 UTC).
    standup = datetime(2026, 11, 3, 10, 0, tzinfo=BERLIN)
    assert state.next_standup == standup
    with SqlUnitOfWork(engine) as u:
        invites = u.session.scalars(
            select(OutboxRow).where(OutboxRow.kind == "calendar.invite")
        ).all()
        cadence = [dict(i.payload)["cadence"] for i in invites]
    assert cadence[0]["days"] == ["TU", "FR"] and cadence[0]["attendees"][0]["email"] == (
        "a@example.com"
    )
    report = run_pass(
        lambda: SqlUnitOfWork(engine), standup - timedelta(minutes=5), DEFAULT_POLICY,
        ReminderPolicy(), "https://desk.example",
    )  # fmt: skip
    assert report.reminders_written >= 1
    with SqlUnitOfWork(engine) as u:
        query = select(OutboxRow).where(OutboxRow.subject_type == "reminder")
        payloads = [dict(r.payload) for r in u.session.scalars(query)]
    assert [p["due"] for p in payloads if p["reminder"] == "standup"] == [
        standup.astimezone(UTC).isoformat()
    ]


def test_a_severity_change_proposes_the_new_rhythm_and_keeps_the_cadence(
    uow: SqlUnitOfWork, engine: Engine, now: datetime
) -> None:
    from escdesk.domain.severity import Severity
    from escdesk.services.escalation_commands import ChangeSeverity

    esc = factories.open_escalation(uow, now=now, severity="medium")
    assert esc.id is not None
    manager = factories.add_person(uow, "manager", now=now).email
    plan = StandupPlan.parse(days="wed", at="16:00", timezone="UTC", attendees=[])
    factories.act(
        uow, standups.SetStandup(esc.id, plan), now=now, by=manager, handler=standups.set_standup
    )
    factories.act(uow, ChangeSeverity(esc.id, Severity.LOW, "Workaround holds"), now=now,
                  by=manager)  # fmt: skip
    with SqlUnitOfWork(engine) as u:
        texts = [
            str(dict(r.payload).get("text", ""))
            for r in u.session.scalars(select(OutboxRow).where(OutboxRow.kind == "slack.post"))
        ]
        kept = u.escalations.get(esc.id).standup
    assert any("the policy proposes no standups" in t and "wed at 16:00" in t for t in texts)
    assert kept == plan
