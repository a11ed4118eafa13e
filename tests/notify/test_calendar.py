"""Standup invitations (R-ESC-10): a recurring event, revised with SEQUENCE + 1, cancelled at
closing; sent as iMIP e-mail to a real aiosmtpd server."""

from __future__ import annotations

from datetime import date, datetime, time
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from icalendar import Calendar

from escdesk.notify.calendar import Attendee, StandupCadence, invitation
from escdesk.notify.calendar_invites import CalendarTransport
from escdesk.notify.transport import OutboundMessage
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import open_escalation
from tests.notify.builders import message
from tests.notify.conftest import customer_contact, mailer
from tests.notify.smtp_server import MailSink

CARA = Attendee("Cara Diaz", "cara@escdesk.example")
PAT = Attendee("Pat Lee", "pat@escdesk.example")


def cadence(escalation_id: int, **overrides: object) -> StandupCadence:
    values: dict[str, object] = {
        "days": ("mon", "WE", "friday"),
        "time": time(10, 30),
        "timezone": "Europe/Berlin",
        "attendees": (CARA, PAT),
        "escalation_id": escalation_id,
        "tracker_url": f"https://desk.example/escalations/{escalation_id}/tracker",
        "customer": "Acme Corp",
        "severity": "high",
        "starts_on": date(2026, 11, 3),  # a Tuesday
    }
    values.update(overrides)
    return StandupCadence(**values)  # type: ignore[arg-type]


def invite(c: StandupCadence, kind: str = "calendar.invite") -> OutboundMessage:
    return message(kind, f"standup:escalation-{c.escalation_id}", c.escalation_id,
                   cadence=c.to_payload(), by="Cara Diaz")  # fmt: skip


def calendar_of(mail: EmailMessage) -> tuple[str, Calendar]:
    part = mail.get_body(("calendar",))
    assert part is not None
    return part.get_param("method"), Calendar.from_ical(part.get_content())  # type: ignore[return-value]


@pytest.fixture
def escalation_id(uow: SqlUnitOfWork, now: datetime) -> int:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    return esc.id


def test_a_cadence_is_a_weekly_recurring_event_in_its_timezone_with_the_tracker_link(
    now: datetime,
) -> None:
    ics = invitation(cadence(7), method="REQUEST", sequence=0, organizer="desk@x.example",
                     domain="x.example", now=now)  # fmt: skip
    parsed = Calendar.from_ical(ics)
    [event] = parsed.walk("VEVENT")
    assert parsed["METHOD"] == "REQUEST" and parsed.walk("VTIMEZONE")
    assert event["UID"] == "standup-escalation-7@x.example" and event["SEQUENCE"] == 0
    start = event.decoded("DTSTART")
    assert (start.date(), start.time(), str(start.tzinfo)) == (
        date(2026, 11, 4),
        time(10, 30),
        "Europe/Berlin",
    )  # the first Wednesday on or after the Tuesday it starts on
    assert event["RRULE"]["FREQ"] == ["WEEKLY"] and event["RRULE"]["BYDAY"] == ["MO", "WE", "FR"]
    assert event["URL"] == "https://desk.example/escalations/7/tracker"
    assert "https://desk.example/escalations/7/tracker" in event["DESCRIPTION"]
    assert sorted(str(a) for a in event["ATTENDEE"]) == [
        "mailto:cara@escdesk.example",
        "mailto:pat@escdesk.example",
    ]


def test_changes_raise_the_sequence_of_the_same_event_and_closing_cancels_it(
    smtp: tuple[Controller, MailSink], store: NotifyStore, escalation_id: int, now: datetime
) -> None:
    controller, sink = smtp
    transport = CalendarTransport(store, store, mailer(controller, store),
                                  organizer="desk@escdesk.example", domain="escdesk.example",
                                  clock=lambda: now)  # fmt: skip
    first = invite(cadence(escalation_id))
    assert transport.deliver(first).data["sequence"] == 0
    assert transport.deliver(first).data["sequence"] == 0  # a retry is the same revision
    daily = invite(cadence(escalation_id, days=("MO", "TU", "WE", "TH", "FR"), attendees=(CARA,)))
    changed = transport.deliver(daily).data
    assert changed["sequence"] == 1 and changed["uninvited"] == ["pat@escdesk.example"]
    closing = transport.deliver(
        invite(cadence(escalation_id, attendees=(CARA,)), "calendar.cancel")
    )
    assert closing.data["sequence"] == 2
    sent = [(r.recipients, *calendar_of(r.message)) for r in sink.received]
    methods = [(method, cal.walk("VEVENT")[0]["SEQUENCE"], recipients)
               for recipients, method, cal in sent]  # fmt: skip
    assert methods == [
        ("REQUEST", 0, ["cara@escdesk.example", "pat@escdesk.example"]),
        ("REQUEST", 0, ["cara@escdesk.example", "pat@escdesk.example"]),
        ("REQUEST", 1, ["cara@escdesk.example"]),
        ("CANCEL", 1, ["pat@escdesk.example"]),
        ("CANCEL", 2, ["cara@escdesk.example"]),
    ]
    uids = {cal.walk("VEVENT")[0]["UID"] for _, _, cal in sent}
    assert uids == {f"standup-escalation-{escalation_id}@escdesk.example"}
    assert sent[-1][2].walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert sink.received[0].message.get_content_type() == "multipart/mixed"


def test_a_customer_among_the_attendees_is_never_sent_the_internal_standup(
    smtp: tuple[Controller, MailSink],
    store: NotifyStore,
    escalation_id: int,
    uow: SqlUnitOfWork,
    now: datetime,
) -> None:
    controller, sink = smtp
    contact = customer_contact(uow, now)
    transport = CalendarTransport(store, store, mailer(controller, store),
                                  organizer="desk@escdesk.example", domain="escdesk.example",
                                  clock=lambda: now)  # fmt: skip
    guest = Attendee(contact.name, contact.email)
    receipt = transport.deliver(invite(cadence(escalation_id, attendees=(CARA, guest)))).data
    assert receipt["skipped"] == [contact.email]
    assert [r.recipients for r in sink.received] == [["cara@escdesk.example"]]


def test_without_a_mail_server_the_series_is_still_revised_for_the_feeds(
    store: NotifyStore, escalation_id: int, uow: SqlUnitOfWork, now: datetime
) -> None:
    transport = CalendarTransport(store, store, None, organizer="desk@escdesk.example",
                                  domain="escdesk.example", clock=lambda: now)  # fmt: skip
    receipt = transport.deliver(invite(cadence(escalation_id))).data
    assert receipt["emailed"] is False and receipt["sequence"] == 0
    with uow:
        standups = uow.calendar_feeds.standups_of("pat@escdesk.example")
    assert [r.uid for r in standups] == [receipt["uid"]]
