"""The clock forms of the pages (R-SLA-1, R-SLA-2, R-ESC-10): calendars, an account's calendar,
waiting on the customer, the standup cadence and a snooze — and their refusals, shown beside the
form with nothing written."""

from __future__ import annotations

from datetime import datetime

from fastapi import FastAPI

from escdesk.domain.escalation import Escalation
from escdesk.services import calendars
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ShowEscalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.web.pages import Visitor, text_of, visitor

MUNICH = {
    "name": "munich",
    "timezone": "Europe/Berlin",
    "hours_mon": "09:00-12:00, 13:00-17:00",
    "hours_tue": "09:00-12:00,13:00-17:00",
    "hours_wed": "09:00-17:00",
    "hours_thu": "09:00-17:00",
    "hours_fri": "09:00-15:00",
    "closed": "2026-12-24\n2026-12-31",
}


def _current(uow: SqlUnitOfWork, esc: Escalation) -> Escalation:
    assert esc.id is not None
    return factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation


def _calendars(uow: SqlUnitOfWork) -> list[str]:
    found = factories.ask(uow, calendars.list_calendars, None)
    return [s.calendar.name for s in found]


def test_a_calendar_is_added_shown_explained_and_made_the_default(
    manager: Visitor, uow: SqlUnitOfWork
) -> None:
    response = manager.post("/calendars", MUNICH)
    assert response.headers["location"] == "/calendars/munich"
    page = text_of(manager.follow(response).text)
    assert "The calendar munich is added." in page
    assert "mon-tue 09:00-12:00,13:00-17:00" in page and "fri 09:00-15:00" in page
    assert "2026-12-24, 2026-12-31" in page
    # Friday 6 Nov 16:30 in Munich (15:30 UTC, the viewer's zone), after Friday's closing at
    # 15:00: 90 min of working time count from Monday's opening, so Monday 10:30 in Munich.
    explained = text_of(manager.get("/calendars/munich?start=2026-11-06T15:30&duration=90m").text)
    assert "Moments are on your clock, UTC." in explained
    assert "ends Mon 9 Nov 2026 09:30 UTC (Mon 9 Nov 2026 10:30 Europe/Berlin)" in explained
    between = text_of(
        manager.get("/calendars/munich?start=2026-11-06T13:00&end=2026-11-09T09:00").text
    )
    assert "lie 2.0 h of working time (7200 s)" in between
    made = manager.post("/calendars/munich/default", {})
    assert "munich is the default calendar" in text_of(manager.follow(made).text)
    stored = factories.ask(uow, calendars.show_calendar, calendars.ShowCalendar("munich"))
    assert stored.is_default


def test_explain_moments_are_read_on_the_viewers_clock(
    app: FastAPI, manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    manager.post("/calendars", MUNICH)
    with visitor(app, uow, now, "support", timezone="America/New_York") as new_york:
        page = text_of(new_york.get("/calendars/munich?start=2026-11-06T10:30&duration=90m").text)
    assert "Moments are on your clock, America/New_York." in page
    assert "ends Mon 9 Nov 2026 04:30 America/New_York (Mon 9 Nov 2026 10:30 Europe/Berlin)" in page


def test_a_wrong_calendar_is_refused_beside_its_form_and_nothing_is_added(
    manager: Visitor, uow: SqlUnitOfWork
) -> None:
    response = manager.post("/calendars", MUNICH | {"timezone": "Europe/Munich"})
    assert response.status_code == 422
    text = text_of(response.text)
    assert "Timezone 'Europe/Munich' is not a timezone. give an IANA name like" in text
    assert 'value="munich"' in response.text  # what was typed is kept
    response = manager.post("/calendars", MUNICH | {"hours_mon": "9-5"})
    assert response.status_code == 422 and "Hours 'mon 9-5'" in text_of(response.text)
    response = manager.post("/calendars", MUNICH | {"closed": "24.12.2026"})
    assert "Closed '24.12.2026' is not a date" in text_of(response.text)
    assert _calendars(uow) == []
    bad = manager.get("/calendars/munich?start=2026-11-06T15:30&duration=soon")
    assert bad.status_code in (404, 422)


def test_the_explain_tool_refuses_a_duration_it_cannot_read(
    manager: Visitor, uow: SqlUnitOfWork
) -> None:
    manager.post("/calendars", MUNICH)
    response = manager.get("/calendars/munich?start=2026-11-06T15:30&duration=soon")
    assert response.status_code == 422
    assert "'soon' is not a duration" in text_of(response.text)
    assert 'role="alert" id="explain-error"' in response.text


def test_adding_a_calendar_needs_manage_accounts(
    app: FastAPI, uow: SqlUnitOfWork, now: datetime
) -> None:
    with visitor(app, uow, now, "support") as support:
        assert "Add a calendar" not in support.get("/clocks").text
        assert support.post("/calendars", MUNICH).status_code == 403
    assert _calendars(uow) == []


def test_an_account_is_given_a_calendar_on_its_page(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    account = factories.add_account(uow, now=now)
    assert "24×7" in text_of(manager.get(f"/accounts/{account.id}").text)
    manager.post("/calendars", MUNICH)
    response = manager.post(f"/accounts/{account.id}/calendar", {"calendar": "munich"})
    page = text_of(manager.follow(response).text)
    assert "This account's clocks now run in munich." in page
    assert "Working calendar munich (Europe/Berlin)" in page
    refused = manager.post(f"/accounts/{account.id}/calendar", {"calendar": "nowhere"})
    assert refused.status_code == 404 and "nowhere" in text_of(refused.text)
    assert 'id="calendar-error"' in refused.text


def test_waiting_on_the_customer_pauses_and_their_answer_resumes(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/escalations/{esc.id}/wait-on-customer", {"reason": "HAR file", "version": esc.version}
    )
    page = text_of(manager.follow(response).text)
    assert "Waiting on the customer: the customer-update clock is paused." in page
    assert "paused: waiting on the customer since" in page and "(HAR file)" in page
    paused = _current(uow, esc)
    assert paused.next_customer_update_due is None
    again = manager.post(
        f"/escalations/{esc.id}/wait-on-customer", {"reason": "logs", "version": paused.version}
    )
    assert again.status_code == 400 and "already waiting on the customer" in text_of(again.text)
    stale = manager.post(f"/escalations/{esc.id}/customer-answered", {"version": esc.version})
    assert stale.status_code == 409
    assert "Someone else changed this escalation" in text_of(stale.text)
    response = manager.post(f"/escalations/{esc.id}/customer-answered", {"version": paused.version})
    assert "the customer-update clock runs again" in text_of(manager.follow(response).text)
    assert _current(uow, esc).next_customer_update_due is not None


def test_a_pause_needs_its_reason(manager: Visitor, uow: SqlUnitOfWork, now: datetime) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/escalations/{esc.id}/wait-on-customer", {"reason": " ", "version": esc.version}
    )
    assert response.status_code == 422
    assert "Reason must not be empty. Give a reason." in text_of(response.text)
    assert 'id="wait-error"' in response.text
    assert _current(uow, esc).version == esc.version


def test_a_standup_cadence_is_set_from_the_page(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    form = {
        "days": ["mon", "thu"],
        "time": "09:15",
        "timezone": "Europe/Berlin",
        "attendees": "dana@example.com\nli@example.com",
        "version": esc.version,
    }
    response = manager.post(f"/escalations/{esc.id}/standup", form)
    page = text_of(manager.follow(response).text)
    assert "Standup set: mon, thu at 09:15 (Europe/Berlin)" in page
    plan = _current(uow, esc).standup
    assert plan is not None and plan.attendees == ("dana@example.com", "li@example.com")
    refused = manager.post(
        f"/escalations/{esc.id}/standup", form | {"days": [], "version": _current(uow, esc).version}
    )
    assert refused.status_code == 422 and "Days '' are not weekdays" in text_of(refused.text)
    bad_zone = manager.post(
        f"/escalations/{esc.id}/standup",
        form | {"timezone": "Mars/Olympus", "version": _current(uow, esc).version},
    )
    assert "'Mars/Olympus' is not a timezone" in text_of(bad_zone.text)
    assert 'id="standup-error"' in bad_zone.text


def test_a_reminder_is_snoozed_once_with_a_reason(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    form = {"audience": "internal", "for": "2h", "reason": "fix build at 15:00"}
    too_long = manager.post(f"/escalations/{esc.id}/snooze", form | {"for": "3d"})
    assert too_long.status_code == 422 and "at most a day" in text_of(too_long.text)
    unreadable = manager.post(f"/escalations/{esc.id}/snooze", form | {"for": "later"})
    assert unreadable.status_code == 422 and "'later' is not a duration" in text_of(unreadable.text)
    assert 'id="snooze-error"' in unreadable.text
    page = text_of(manager.follow(manager.post(f"/escalations/{esc.id}/snooze", form)).text)
    assert "The reminders about the next update wait 2h." in page
    assert "internal reminders until Mon 2 Nov 2026 11:00 UTC: fix build at 15:00" in page
    twice = manager.post(f"/escalations/{esc.id}/snooze", form)
    assert twice.status_code == 400 and "were snoozed once" in text_of(twice.text)


def test_clock_forms_need_the_csrf_token(
    manager: Visitor, uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    response = manager.post(
        f"/escalations/{esc.id}/wait-on-customer", {"reason": "HAR"}, csrf=False
    )
    assert response.status_code == 403
    assert manager.post("/calendars", MUNICH, csrf=False).status_code == 403
    assert _calendars(uow) == [] and _current(uow, esc).version == esc.version
