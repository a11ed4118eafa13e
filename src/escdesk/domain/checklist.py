"""The opening checklist of R-ESC-4, derived from state and from what the outbox delivered.

Nothing here is ticked by hand: a step is done when escdesk's own record says so (a message
delivered, the account marked at risk, a standup invitation sent), so the checklist never claims
more than happened and cannot go stale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from escdesk.domain import clock
from escdesk.domain.escalation import Escalation
from escdesk.domain.messages import SHARED_CHANNEL, MessageKind, Template
from escdesk.domain.severity import SeverityLevel


class StepState(StrEnum):
    DONE = "done"
    PENDING = "pending"
    OVERDUE = "overdue"
    NOT_REQUIRED = "not_required"


@dataclass(frozen=True)
class Delivery:
    """What the outbox says about one notification of an escalation (R-OPS-3)."""

    kind: str
    destination: str
    template: str | None
    created_at: datetime
    delivered_at: datetime | None
    attempts: int = 0
    last_error: str | None = None
    id: int | None = None
    state: str = "pending"


@dataclass(frozen=True)
class ChecklistStep:
    key: str
    label: str
    state: StepState
    due: datetime | None
    done_at: datetime | None
    note: str
    note_at: datetime | None = None
    """The moment the note ends with ("queued since …"): each face writes it on its clock."""


def opening_checklist(
    esc: Escalation,
    *,
    account_at_risk: bool,
    deliveries: Sequence[Delivery],
    level: SeverityLevel,
    now: datetime,
) -> list[ChecklistStep]:
    """R-ESC-4: channel, pinned opening message, declaration; tracker and account at risk for
    critical/high; the standup cadence within 24 h. Each step is done, pending or overdue."""
    soon = clock.opening_step_due(esc.opened_at, level.internal_update_clock, esc.calendar)
    high = esc.severity.is_high_or_critical
    steps = [
        _delivered(
            "channel",
            f"Create the channel {esc.channel}",
            _find(deliveries, MessageKind.CREATE_CHANNEL, esc.channel),
            soon,
            now,
        ),
        _delivered(
            "opening_message",
            "Post and pin the opening message (tracker link and initial ask)",
            _find(deliveries, MessageKind.POST, esc.channel, Template.OPENING),
            soon,
            now,
        ),
        _delivered(
            "declaration",
            f"Declare the escalation in {SHARED_CHANNEL}",
            _find(deliveries, MessageKind.ANNOUNCE, SHARED_CHANNEL, Template.DECLARATION),
            soon,
            now,
        ),
    ]
    tracker_label = "Create the escalation tracker document"
    at_risk_label = "Mark the account at risk"
    if high:
        steps.append(
            ChecklistStep(
                "tracker",
                tracker_label,
                StepState.DONE,
                None,
                esc.opened_at,
                "escdesk renders it from the escalation's state, so it is never stale",
            )
        )
        steps.append(
            ChecklistStep(
                "account_at_risk",
                at_risk_label,
                StepState.DONE if account_at_risk else _late_or_pending(soon, now),
                soon,
                None,
                "the account's sentiment is at risk"
                if account_at_risk
                else "the account's sentiment is not at risk yet",
            )
        )
    else:
        reason = f"only for critical and high escalations (this one is {esc.severity})"
        steps.append(_not_required("tracker", tracker_label, reason))
        steps.append(_not_required("account_at_risk", at_risk_label, reason))
    steps.append(_standup(esc, deliveries, level, now))
    return steps


def _standup(
    esc: Escalation, deliveries: Sequence[Delivery], level: SeverityLevel, now: datetime
) -> ChecklistStep:
    label = "Set up the internal standup cadence within 24 h"
    if esc.standup is not None:  # R-ESC-10: the cadence exists
        return ChecklistStep("standup", label, StepState.DONE, None, None, esc.standup.describe())
    if level.standup_every is None:
        return _not_required("standup", label, f"no standups at {esc.severity} severity")
    invites = [d for d in deliveries if "standup" in f"{d.kind} {d.template or ''}"]
    step = _delivered("standup", label, invites[0] if invites else None, None, now)
    due = clock.standup_setup_due(esc.opened_at, level.internal_update_clock, esc.calendar)
    if step.state is StepState.DONE:
        return step
    if invites:
        return replace(step, state=_late_or_pending(due, now), due=due)
    first = clock.next_standup(esc.opened_at, level, esc.opened_at)
    state = _late_or_pending(due, now)
    return ChecklistStep("standup", label, state, due, None, "first standup due by", first)


def _find(
    deliveries: Sequence[Delivery], kind: str, destination: str, template: str | None = None
) -> Delivery | None:
    for delivery in deliveries:
        if (
            delivery.kind == kind
            and delivery.destination == destination
            and (template is None or delivery.template == template)
        ):
            return delivery
    return None


def _delivered(
    key: str, label: str, delivery: Delivery | None, due: datetime | None, now: datetime
) -> ChecklistStep:
    if delivery is None:
        return ChecklistStep(
            key, label, _late_or_pending(due, now), due, None, "no message was queued for it"
        )
    if delivery.delivered_at is not None:
        return ChecklistStep(key, label, StepState.DONE, due, delivery.delivered_at, "delivered")
    state = _late_or_pending(due, now)
    if delivery.last_error:
        note = f"delivery failing after {delivery.attempts} attempts: {delivery.last_error}"
        return ChecklistStep(key, label, state, due, None, note)
    return ChecklistStep(key, label, state, due, None, "queued since", delivery.created_at)


def _late_or_pending(due: datetime | None, now: datetime) -> StepState:
    return StepState.OVERDUE if clock.is_overdue(due, now) else StepState.PENDING


def _not_required(key: str, label: str, reason: str) -> ChecklistStep:
    return ChecklistStep(key, label, StepState.NOT_REQUIRED, None, None, reason)
