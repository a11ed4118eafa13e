"""Calendars in the store and in the clocks (R-SLA-1): saved, looked up per account, and used
for the due moments of commitments the policy measures in business time."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from escdesk.adapters.holidays import PublicHolidays
from escdesk.domain.clock import Audience
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.domain.escalation import Escalation
from escdesk.domain.severity import DEFAULT_POLICY, Measure, Severity, SeverityPolicy
from escdesk.services import calendars as service
from escdesk.services import escalations, lateness, pauses
from escdesk.services.escalation_commands import PostUpdate
from escdesk.services.tracker import load_tracker
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

BERLIN = ZoneInfo("Europe/Berlin")
FRIDAY_1630 = datetime(2026, 11, 6, 16, 30, tzinfo=BERLIN)


def munich(uow: SqlUnitOfWork, now: datetime, **changes: object) -> service.StoredCalendar:
    values: dict[str, object] = {
        "name": "munich",
        "timezone": "Europe/Berlin",
        "hours": ["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"],
        "holidays": "DE-BY",
        "closed": ["2026-12-24"],
    }
    values.update(changes)
    cmd = service.AddCalendar.parse(**values)  # type: ignore[arg-type]
    stored: service.StoredCalendar = factories.act(
        uow, cmd, now=now, handler=service.with_holidays(PublicHolidays())
    )
    return stored


def test_a_calendar_is_saved_with_its_public_holidays_and_own_closed_dates(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    munich(uow, now)
    stored = factories.ask(uow, service.show_calendar, service.ShowCalendar("munich"))
    cal = stored.calendar
    assert cal.hours_text() == ["mon-thu 09:00-12:00,13:00-17:00", "fri 09:00-15:00"]
    assert date(2026, 6, 4) in cal.closed  # Corpus Christi: a holiday in Bavaria, not in Berlin
    assert date(2026, 12, 24) in cal.own_closed and date(2026, 12, 25) not in cal.own_closed
    assert not stored.is_default
    # The explain tool in the stored calendar: Friday 16:30 is closed; Monday 09:00 + 90 min.
    due = factories.ask(
        uow,
        service.add_time,
        service.AddTime.parse(calendar="munich", start=FRIDAY_1630, duration="90m"),
    )
    assert due == datetime(2026, 11, 9, 10, 30, tzinfo=BERLIN)


def test_bad_calendars_are_refused_and_nothing_is_written(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    munich(uow, now)
    with pytest.raises(InvalidInput, match="exists"):
        munich(uow, now)
    with pytest.raises(InvalidInput) as caught:
        munich(uow, now, name="other", holidays="XX-YY")
    assert caught.value.field == "holidays"
    with pytest.raises(InvalidInput) as caught:
        munich(uow, now, name="other", closed=["24.12.2026"])
    assert caught.value.field == "closed"
    assert [s.calendar.name for s in factories.ask(uow, service.list_calendars, None)] == ["munich"]
    with pytest.raises(NotFound):
        factories.ask(uow, service.show_calendar, service.ShowCalendar("nowhere"))


def test_accounts_use_their_own_calendar_else_the_default_else_24x7(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    own = factories.add_account(uow, now=now)
    other = factories.add_account(uow, now=now)
    with uow:
        assert uow.calendars.for_account(other.id or 0).is_always_open
    munich(uow, now)
    munich(uow, now, name="tokyo", timezone="Asia/Tokyo", holidays=None, closed=[])
    factories.act(
        uow,
        service.SetAccountCalendar(own.name, "munich"),
        now=now,
        handler=service.set_account_calendar,
    )
    factories.act(
        uow, service.SetDefaultCalendar("tokyo"), now=now, handler=service.set_default_calendar
    )
    factories.act(
        uow, service.SetDefaultCalendar("munich"), now=now, handler=service.set_default_calendar
    )
    factories.act(
        uow, service.SetDefaultCalendar("tokyo"), now=now, handler=service.set_default_calendar
    )
    with uow:
        found = uow.calendars.for_accounts([own.id or 0, other.id or 0])
        defaults = [s.calendar.name for s in uow.calendars.list() if s.is_default]
    assert found[own.id or 0].name == "munich"
    assert found[other.id or 0].name == "tokyo"
    assert defaults == ["tokyo"]


def test_business_time_commitments_run_in_the_accounts_calendar(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    """The README's example: a high escalation of a Munich customer opened Friday 16:30."""
    munich(uow, now)
    account = factories.add_account(uow, now=now, name="Isar Logistics", tier="strategic")
    factories.act(
        uow,
        service.SetAccountCalendar(account.name, "munich"),
        now=now,
        handler=service.set_account_calendar,
    )
    opened = FRIDAY_1630.astimezone(UTC)
    esc = _open_high(uow, opened, account.name)
    # Internal: one business day, counted from Monday's opening → Tuesday 09:00 in Munich.
    assert esc.next_internal_update_due == datetime(2026, 11, 10, 9, 0, tzinfo=BERLIN)
    # The opening checklist follows the same rules: "immediately" is a working hour after
    # Monday's opening, "within 24 h" the next business day.
    assert esc.id is not None
    steps = {
        s.key: s.due for s in load_tracker(uow, esc.id, now=opened, policy=DEFAULT_POLICY).checklist
    }
    assert steps["channel"] == datetime(2026, 11, 9, 10, 0, tzinfo=BERLIN)
    assert steps["standup"] == datetime(2026, 11, 10, 9, 0, tzinfo=BERLIN)
    # Customer: the policy keeps 56 h of wall time for a high escalation.
    assert esc.next_customer_update_due == opened + timedelta(hours=56)
    # An internal update posted Tuesday 11:00 is next due Wednesday 11:00 — and once loaded
    # from the store the escalation still runs in its account's calendar.
    posted = datetime(2026, 11, 10, 11, 0, tzinfo=BERLIN)
    assert esc.id is not None
    factories.act(
        uow,
        PostUpdate(esc.id, Audience.INTERNAL, "Logs under review"),
        now=posted,
        by=_dri_of(uow, esc.id),
    )
    with uow:
        again = uow.escalations.get(esc.id)
    assert again.calendar.name == "munich"
    assert again.next_internal_update_due == datetime(2026, 11, 11, 11, 0, tzinfo=BERLIN)
    # Every face shows the working time left: Tue 11–12, 13–17 and Wed 09–11 are 7 hours.
    late = lateness.of_escalation(again, posted)
    assert late.working_seconds_left()["internal"] == 7 * 3600


def test_the_readmes_business_customer_clock_and_its_pause_in_the_munich_example(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    """The README's rows with `customer_update_every = "2d"` in business time, and the pause
    from Monday 10:00 to Tuesday 14:00 (13 working hours left run from Tuesday 14:00)."""
    munich(uow, now)
    account = factories.add_account(uow, now=now, name="Isar Logistics", tier="strategic")
    factories.act(
        uow,
        service.SetAccountCalendar(account.name, "munich"),
        now=now,
        handler=service.set_account_calendar,
    )
    high = dataclasses.replace(
        DEFAULT_POLICY[Severity.HIGH],
        customer_update_every=timedelta(days=2),
        customer_update_clock=Measure.BUSINESS,
    )
    policy = SeverityPolicy({**DEFAULT_POLICY.levels, Severity.HIGH: high})
    support = factories.add_person(uow, "support", now=now)
    esc = factories.open_escalation(
        uow, now=FRIDAY_1630, account=account.name, severity="high", by=support.email,
        policy=policy,
    )  # fmt: skip
    assert esc.id is not None
    assert esc.next_customer_update_due == datetime(2026, 11, 11, 9, 0, tzinfo=BERLIN)
    wait = pauses.WaitOnCustomer(esc.id, "HAR file")
    at_pause = datetime(2026, 11, 9, 10, 0, tzinfo=BERLIN)
    factories.act(
        uow, wait, now=at_pause, by=support.email, policy=policy, handler=pauses.wait_on_customer
    )
    answered = pauses.CustomerAnswered(esc.id)
    resumed: Escalation = factories.act(
        uow,
        answered,
        now=datetime(2026, 11, 10, 14, 0, tzinfo=BERLIN),
        by=support.email,
        policy=policy,
        handler=pauses.customer_answered,
    )
    assert resumed.next_customer_update_due == datetime(2026, 11, 12, 12, 0, tzinfo=BERLIN)


def test_without_calendars_every_due_moment_is_wall_time_as_before(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, severity="medium")
    assert esc.next_internal_update_due == now + timedelta(days=7)
    assert esc.next_customer_update_due == now + timedelta(days=7)


def _open_high(uow: SqlUnitOfWork, now: datetime, account: str):  # type: ignore[no-untyped-def]
    support = factories.add_person(uow, "support", now=now)
    return factories.open_escalation(
        uow, now=now, account=account, severity="high", by=support.email
    )


def _dri_of(uow: SqlUnitOfWork, escalation_id: int) -> str:
    with uow:
        return str(uow.escalations.get(escalation_id).dri_id)


assert escalations  # the handlers of the escalation commands are registered on import
