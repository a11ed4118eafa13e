"""Opening an escalation (seed 004, R-ESC-2…5, R-ESC-7): the owners the rules ask for, the ask
and skills written down, the first cadence — and the channel, the pinned opening message and the
declaration in the shared channel, asked for in the same change.

A function above the aggregate rather than a method of it, so the aggregate stays about the
life of an open escalation; `snapshot` is what the `opened` event carries for the replay.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from escdesk.domain.accounts import Account
from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar
from escdesk.domain.dri import Owners, Route, check_owners
from escdesk.domain.errors import InvalidInput, Need, RuleRefused
from escdesk.domain.escalation import MAX_TEXT, Escalation, iso
from escdesk.domain.messages import SHARED_CHANNEL, MessageKind, Template
from escdesk.domain.people import check_text
from escdesk.domain.records import EscalationKind, EtaChange, ExitCriterion
from escdesk.domain.severity import Severity, SeverityPolicy


def open_escalation(
    *,
    account: Account,
    kind: EscalationKind,
    severity: Severity,
    route: Route,
    summary: str,
    initial_ask: str,
    required_skills: list[str],
    product_related: bool,
    owners: Owners,
    exit_criteria: list[str],
    eta: datetime | None,
    by_id: int | None,
    now: datetime,
    policy: SeverityPolicy,
    calendar: WorkingCalendar = TWENTY_FOUR_SEVEN,
) -> Escalation:
    """Open an escalation; R-ESC-2/3 owners and R-ESC-5 ask and skills are required."""
    assert account.id is not None and owners.dri.id is not None
    check_owners(severity, route, product_related, account, owners)
    skills = [check_text(s, "required_skills") for s in required_skills if s.strip()]
    if not skills:
        raise RuleRefused(
            "R-ESC-5",
            "the required skills are written down at opening",
            [Need("at least one required skill", ("required_skills",))],
        )
    if eta is not None and eta <= now:
        raise InvalidInput("eta", "is in the past", "Give a future moment or leave it out")
    esc = Escalation(
        account_id=account.id,
        customer=account.name,
        channel=f"#esc_{account.slug}",
        kind=kind,
        severity=severity,
        route=route,
        summary=check_text(summary, "summary"),
        initial_ask=check_text(initial_ask, "initial_ask", max_length=MAX_TEXT),
        required_skills=skills,
        product_related=product_related,
        dri_id=owners.dri.id,
        product_dri_id=owners.product_dri.id if owners.product_dri else None,
        product_leader_id=owners.product_leader.id if owners.product_leader else None,
        opened_at=now,
        cadence_start=now,
        updated_at=now,
        exit_criteria=[ExitCriterion(check_text(t, "exit_criteria")) for t in exit_criteria],
        calendar=calendar,
    )
    if eta is not None:
        esc.eta = eta
        esc.eta_changes.append(EtaChange(now, None, eta, "initial ETA", by_id))
    esc._reschedule(policy)
    esc._record("opened", now, by_id, snapshot(esc))
    _announce_opening(esc)
    return esc


def snapshot(esc: Escalation) -> dict[str, Any]:
    """The fields an `opened` event carries, enough to rebuild the state from the trail."""
    return {
        "account_id": esc.account_id,
        "customer": esc.customer,
        "channel": esc.channel,
        "kind": esc.kind.value,
        "severity": esc.severity.value,
        "route": esc.route.value,
        "status": esc.status.value,
        "summary": esc.summary,
        "initial_ask": esc.initial_ask,
        "required_skills": list(esc.required_skills),
        "product_related": esc.product_related,
        "dri_id": esc.dri_id,
        "product_dri_id": esc.product_dri_id,
        "product_leader_id": esc.product_leader_id,
        "eta": iso(esc.eta),
        "exit_criteria": [c.text for c in esc.exit_criteria],
    }


def _announce_opening(esc: Escalation) -> None:
    """R-ESC-4: channel with a pinned opening message, then the declaration (R-ESC-7)."""
    esc._notify(MessageKind.CREATE_CHANNEL, esc.channel, invite=esc._owner_ids())
    esc._notify(
        MessageKind.POST,
        esc.channel,
        template=Template.OPENING,
        pin=True,
        **esc.opening_state(),
    )
    esc._notify(
        MessageKind.ANNOUNCE,
        SHARED_CHANNEL,
        template=Template.DECLARATION,
        severity=esc.severity.value,
        status=esc.status.value,
        product_dri_id=esc.product_dri_id,
        description=esc.summary,
    )
