"""Standup invitations by e-mail (iMIP, RFC 6047), and the record behind the calendar feeds.

Message kinds:
- `calendar.invite`: destination = the series (`standup:escalation-12`; the worker keeps one
  series' revisions in order). Payload: `cadence` (`StandupCadence.to_payload()`), `by`,
  `reason`. Sends METHOD:REQUEST with the next SEQUENCE to the attendees, and METHOD:CANCEL
  to anyone no longer invited. Receipt: uid, sequence, invited, uninvited, skipped, emailed.
- `calendar.cancel`: same destination and payload, at closing: METHOD:CANCEL to everyone who
  held the invitation.

The standup is internal: a customer's address among the attendees is skipped (and named in
the receipt), never sent the invitation. Without a mail server the series is still revised,
so the calendar feeds show it; the receipt says nothing was e-mailed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import formataddr, formatdate

from escdesk.notify.calendar import Attendee, BadCadence, StandupCadence, invitation
from escdesk.notify.email import message_id
from escdesk.notify.ports import CalendarSeries, CustomerAddresses
from escdesk.notify.smtp import INTERNAL, Mailer
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt


def _utc_now() -> datetime:
    return datetime.now(UTC)


class CalendarTransport:
    kinds = frozenset({"calendar.invite", "calendar.cancel"})

    def __init__(
        self,
        series: CalendarSeries,
        customers: CustomerAddresses,
        mailer: Mailer | None,
        *,
        organizer: str,
        domain: str,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        self.series = series
        self.customers = customers
        self.mailer = mailer
        self.organizer = organizer
        self.domain = domain
        self.clock = clock

    def deliver(self, message: OutboundMessage) -> Receipt:
        if message.kind not in self.kinds:
            raise DeliveryError(f"the calendar does not deliver {message.kind}", permanent=True)
        try:
            cadence = StandupCadence.from_payload(message.payload.get("cadence") or {})
        except BadCadence as exc:
            raise DeliveryError(str(exc), permanent=True) from None
        cancelled = message.kind == "calendar.cancel"
        now = self.clock()
        internal = [a for a in cadence.attendees if not self._is_customer(a)]
        skipped = [a.email for a in cadence.attendees if self._is_customer(a)]
        revision = self.series.revise(
            uid=cadence.uid(self.domain),
            escalation_id=cadence.escalation_id,
            message_id=message.id,
            cadence=cadence.to_payload(),
            attendees=[a.email.lower() for a in internal],
            cancelled=cancelled,
            now=now,
        )
        current = {a.email.lower() for a in internal}
        dropped = [
            Attendee(e, e)
            for e in revision.previous_attendees
            if e not in current and not self.customers.is_customer_address(e)
        ]
        receipt = {
            "uid": cadence.uid(self.domain),
            "sequence": revision.sequence,
            "invited": [] if cancelled else sorted(current),
            "uninvited": sorted(a.email for a in dropped) + (sorted(current) if cancelled else []),
            "skipped": skipped,
            "emailed": self.mailer is not None,
        }
        if self.mailer is None:
            return Receipt(receipt | {"note": "no mail server configured: the feeds show it"})
        if cancelled:
            self._send(message, cadence, "CANCEL", revision.sequence, [*internal, *dropped], now)
            return Receipt(receipt)
        if internal:
            self._send(message, cadence, "REQUEST", revision.sequence, internal, now)
        if dropped:
            self._send(message, cadence, "CANCEL", revision.sequence, dropped, now, part="cancel")
        return Receipt(receipt)

    def _is_customer(self, attendee: Attendee) -> bool:
        return self.customers.is_customer_address(attendee.email)

    def _send(
        self,
        message: OutboundMessage,
        cadence: StandupCadence,
        method: str,
        sequence: int,
        attendees: Iterable[Attendee],
        now: datetime,
        part: str = "",
    ) -> None:
        people = list(attendees)
        assert self.mailer is not None
        ics = invitation(
            cadence,
            method=method,
            sequence=sequence,
            organizer=self.organizer,
            domain=self.domain,
            now=now,
            attendees=people,
        )
        verb = "Cancelled" if method == "CANCEL" else "Updated" if sequence else "Invitation"
        mail = EmailMessage()
        mail["To"] = ", ".join(formataddr((a.name, a.email)) for a in people)
        mail["Subject"] = f"{verb}: {cadence.summary}"
        mail["Message-ID"] = message_id(message, self.mailer.domain).replace(
            "@", f".{part or method.lower()}@"
        )
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail.set_content(_plain(cadence, method))
        mail.add_alternative(ics.decode("utf-8"), subtype="calendar", params={"method": method})
        mail.add_attachment(ics, maintype="application", subtype="ics", filename="standup.ics")
        self.mailer.send(mail, INTERNAL)


def _plain(cadence: StandupCadence, method: str) -> str:
    if method == "CANCEL":
        return f"The standup is cancelled: {cadence.summary}.\n"
    lines = [f"{cadence.summary}", f"When: {cadence.describe()}"]
    if cadence.tracker_url:
        lines.append(f"Tracker: {cadence.tracker_url}")
    return "\n".join(lines) + "\n"
