"""The internal standup cadence as a calendar (seed 004, R-ESC-10): a recurring event sent as an
invitation, revised when the cadence, severity or attendees change, cancelled at closing, and
listed in each attendee's calendar feed.

iCalendar (RFC 5545) through the `icalendar` package, invitations as iMIP (RFC 6047): an
e-mail whose `text/calendar; method=REQUEST` part carries METHOD:REQUEST. Every revision of a
standup keeps its UID and raises SEQUENCE by one, so calendar clients update the event in place
instead of adding a second one; someone dropped from the attendees gets a METHOD:CANCEL.

`StandupCadence` is this module's view of a cadence; whoever writes the outbox row maps the
desk's own cadence object onto it (`to_payload`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vCalAddress, vText

PRODID = "-//escdesk//standups//EN"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


class BadCadence(ValueError):
    pass


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str


@dataclass(frozen=True)
class StandupCadence:
    """When an escalation's internal standup meets, who is invited, and where its notes are."""

    days: tuple[str, ...]
    """iCalendar weekday codes (`MO` … `SU`); `mon`, `monday` are accepted too."""
    time: time
    timezone: str
    attendees: tuple[Attendee, ...]
    escalation_id: int
    tracker_url: str
    duration: timedelta = timedelta(minutes=15)
    title: str = ""
    starts_on: date | None = None
    """The first day the series may start on (default: the day the invitation is made)."""
    severity: str = ""
    customer: str = ""

    def __post_init__(self) -> None:
        days = tuple(_weekday(d) for d in self.days)
        if not days:
            raise BadCadence("a standup cadence needs at least one day")
        object.__setattr__(self, "days", tuple(sorted(set(days), key=WEEKDAYS.index)))
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise BadCadence(f"{self.timezone!r} is not an IANA timezone") from None
        if self.duration <= timedelta(0):
            raise BadCadence("a standup must last more than no time")

    @property
    def summary(self) -> str:
        if self.title:
            return self.title
        level = f" ({self.severity})" if self.severity else ""
        who = self.customer or f"escalation {self.escalation_id}"
        return f"Escalation standup: {who}{level}"

    def uid(self, domain: str) -> str:
        return f"standup-escalation-{self.escalation_id}@{domain}"

    def first_start(self, today: date) -> datetime:
        """The first meeting on or after `starts_on` (else `today`), in the cadence's zone."""
        day = self.starts_on or today
        for _ in range(7):
            if WEEKDAYS[day.weekday()] in self.days:
                break
            day += timedelta(days=1)
        return datetime.combine(day, self.time, tzinfo=ZoneInfo(self.timezone))

    def describe(self) -> str:
        days = ", ".join(d.capitalize() for d in self.days)
        return f"{days} at {self.time:%H:%M} ({self.timezone}), {_minutes(self.duration)} min"

    def to_payload(self) -> dict[str, Any]:
        return {
            "days": list(self.days),
            "time": self.time.strftime("%H:%M"),
            "timezone": self.timezone,
            "attendees": [{"name": a.name, "email": a.email} for a in self.attendees],
            "escalation_id": self.escalation_id,
            "tracker_url": self.tracker_url,
            "duration_minutes": _minutes(self.duration),
            "title": self.title,
            "starts_on": self.starts_on.isoformat() if self.starts_on else None,
            "severity": self.severity,
            "customer": self.customer,
        }

    @classmethod
    def from_payload(cls, data: Mapping[str, Any]) -> StandupCadence:
        try:
            return cls(
                days=tuple(data["days"]),
                time=time.fromisoformat(str(data["time"])),
                timezone=str(data["timezone"]),
                attendees=tuple(
                    Attendee(str(a.get("name") or a["email"]), str(a["email"]))
                    for a in data.get("attendees") or []
                ),
                escalation_id=int(data["escalation_id"]),
                tracker_url=str(data.get("tracker_url") or ""),
                duration=timedelta(minutes=int(data.get("duration_minutes") or 15)),
                title=str(data.get("title") or ""),
                starts_on=date.fromisoformat(data["starts_on"]) if data.get("starts_on") else None,
                severity=str(data.get("severity") or ""),
                customer=str(data.get("customer") or ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise BadCadence(f"the standup cadence in the payload is incomplete: {exc}") from None


def invitation(
    cadence: StandupCadence,
    *,
    method: str,
    sequence: int,
    organizer: str,
    domain: str,
    now: datetime,
    attendees: Iterable[Attendee] | None = None,
) -> bytes:
    """A METHOD:REQUEST (or CANCEL) calendar for one revision of the standup series."""
    calendar = _calendar(method)
    calendar.add_component(
        _event(
            cadence,
            sequence=sequence,
            organizer=organizer,
            domain=domain,
            stamp=now,
            cancelled=method == "CANCEL",
            attendees=cadence.attendees if attendees is None else tuple(attendees),
        )
    )
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def feed(
    entries: Iterable[tuple[StandupCadence, str, int, datetime]],
    *,
    name: str,
    organizer: str,
    domain: str,
) -> bytes:
    """A subscribable calendar of the standups in `entries` (cadence, UID, SEQUENCE, DTSTAMP),
    with the UID and SEQUENCE their invitations carried, so clients see one event each."""
    calendar = _calendar("PUBLISH")
    calendar.add("X-WR-CALNAME", f"Escalation standups: {name}")
    for cadence, uid, sequence, stamp in entries:
        calendar.add_component(
            _event(
                cadence,
                uid=uid,
                sequence=sequence,
                organizer=organizer,
                domain=domain,
                stamp=stamp,
                cancelled=False,
                attendees=cadence.attendees,
            )
        )
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _calendar(method: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    return calendar


def _event(
    cadence: StandupCadence,
    *,
    uid: str | None = None,
    sequence: int,
    organizer: str,
    domain: str,
    stamp: datetime,
    cancelled: bool,
    attendees: tuple[Attendee, ...],
) -> Event:
    event = Event()
    start = cadence.first_start(stamp.astimezone(ZoneInfo(cadence.timezone)).date())
    event.add("uid", uid or cadence.uid(domain))
    event.add("dtstamp", stamp)
    event.add("sequence", sequence)
    event.add("dtstart", start)
    event.add("duration", cadence.duration)
    event.add("rrule", {"FREQ": "WEEKLY", "BYDAY": list(cadence.days)})
    event.add("summary", cadence.summary)
    notes = f"Internal standup of the escalation, {cadence.describe()}."
    if cadence.tracker_url:
        notes += f"\nTracker (agenda, notes, exit criteria): {cadence.tracker_url}"
        event.add("url", cadence.tracker_url)
    event.add("description", notes)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    chair = vCalAddress(f"mailto:{organizer}")
    chair.params["cn"] = vText("escdesk")
    event.add("organizer", chair)
    for person in attendees:
        address = vCalAddress(f"mailto:{person.email}")
        address.params["cn"] = vText(person.name)
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("TRUE")
        event.add("attendee", address)
    return event


def _weekday(value: str) -> str:
    wanted = str(value).strip().lower()
    for code, name in zip(WEEKDAYS, _DAY_NAMES, strict=True):
        if wanted in (code.lower(), name, name[:3]):
            return code
    raise BadCadence(f"{value!r} is not a weekday; use MO, TU, WE, TH, FR, SA or SU")


def _minutes(duration: timedelta) -> int:
    return int(duration.total_seconds() // 60)
