"""What an escalation does with its clocks (R-SLA-2, R-ESC-10): wait on the customer, hear back,
set up its standup, propose a new rhythm when the severity changes.

Kept beside the aggregate rather than in it (the aggregate stays small) and above the value
modules `pauses` and `standups`, which know nothing of escalations, so the imports run one way.
"""

from __future__ import annotations

from datetime import datetime

from escdesk.domain.escalation import Escalation
from escdesk.domain.messages import MessageKind
from escdesk.domain.pauses import end_pause, start_pause
from escdesk.domain.severity import SeverityLevel, SeverityPolicy
from escdesk.domain.standups import ICAL_DAYS, SET, StandupPlan, span


def wait_on_customer(
    esc: Escalation, reason: str, *, by_id: int | None, now: datetime, policy: SeverityPolicy
) -> None:
    """R-SLA-2: the customer-update clock stands still until the customer answers."""
    esc._require_open("wait on the customer")
    event = start_pause(esc.pauses, reason, by_id, now)
    esc._record(event.type, now, by_id, event.data)
    esc._reschedule(policy)


def customer_answered(
    esc: Escalation,
    *,
    by_id: int | None,
    now: datetime,
    policy: SeverityPolicy,
    via: str,
    sender: str | None = None,
) -> None:
    """R-SLA-2: the clock runs again with the time it had left when it stopped."""
    esc._require_open("record the customer's answer")
    event = end_pause(esc.pauses, by_id, now, via, sender)
    esc._record(event.type, now, by_id, event.data)
    esc._reschedule(policy)


REPLY_LIMIT = 4000
"""A reply on the timeline is what the customer wrote, not every message they quoted."""


def customer_replied(
    esc: Escalation, *, sender: str, reply: str, message_id: str, now: datetime
) -> None:
    """The customer's e-mail reply, on the escalation's internal timeline (by escdesk itself)."""
    text = reply.strip()
    if len(text) > REPLY_LIMIT:
        text = text[: REPLY_LIMIT - 1] + "…"
    data = {"from": sender, "reply": text, "message_id": message_id[:250]}
    esc._record("customer_replied", now, None, data)


def set_standup(
    esc: Escalation, plan: StandupPlan, *, by_id: int | None, now: datetime, tracker_url: str
) -> None:
    """R-ESC-10: record the cadence and ask for its calendar invitation."""
    esc._require_open("set up a standup")
    assert esc.id is not None
    esc.standup = plan
    esc._record(SET, now, by_id, plan.data())
    cadence = {
        "days": [ICAL_DAYS[d] for d in plan.days],
        "time": plan.at.strftime("%H:%M"),
        "timezone": plan.timezone,
        "attendees": [{"name": a, "email": a} for a in plan.attendees],
        "escalation_id": esc.id,
        "tracker_url": tracker_url,
        "severity": esc.severity.value,
        "customer": esc.customer,
    }
    esc._notify(
        MessageKind.CALENDAR_INVITE,
        f"standup:escalation-{esc.id}",
        cadence=cadence,
        reason="standup cadence set",
    )


def propose_cadence(esc: Escalation, level: SeverityLevel) -> None:
    """R-ESC-10: a severity change proposes the new level's rhythm in the channel; the DRI
    keeps or changes the cadence (`standup`), nothing is changed behind their back."""
    if esc.standup is None:
        return
    every = level.standup_every
    rhythm = "no standups" if every is None else f"a standup every {span(every)}"
    esc._notify(
        MessageKind.POST,
        esc.channel,
        text=(
            f"Severity is now {esc.severity.value}: the policy proposes {rhythm}. The standup "
            f"stays {esc.standup.describe()} until the DRI changes it."
        ),
    )
