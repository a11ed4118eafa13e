"""The escalation aggregate (seed 004): one owner, a cadence of updates, a closing agreed with
the customer. Every command checks its rule, changes state, records an audit event and the
notifications it implies; the store saves all three in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from escdesk.domain import clock, closing
from escdesk.domain.accounts import Account, CustomerContact
from escdesk.domain.calendars import TWENTY_FOUR_SEVEN, WorkingCalendar
from escdesk.domain.clock import Audience
from escdesk.domain.dri import OwnerRole, Owners, Route, check_owners
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.events import Event
from escdesk.domain.messages import SHARED_CHANNEL, MessageKind, OutboxMessage, Template
from escdesk.domain.pauses import Pause, customer_update_due
from escdesk.domain.people import check_text
from escdesk.domain.records import (
    CustomerAgreement,
    EscalationKind,
    EtaChange,
    ExitCriterion,
    OwnerChange,
    Status,
    Update,
)
from escdesk.domain.reminders import Snooze
from escdesk.domain.severity import Severity, SeverityPolicy
from escdesk.domain.standups import StandupPlan

MAX_TEXT = 10_000
MAX_SUMMARY = 200


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


@dataclass
class Escalation:
    account_id: int
    customer: str
    channel: str
    kind: EscalationKind
    severity: Severity
    route: Route
    summary: str
    initial_ask: str
    required_skills: list[str]
    product_related: bool
    dri_id: int
    opened_at: datetime
    cadence_start: datetime | None = None
    product_dri_id: int | None = None
    product_leader_id: int | None = None
    status: Status = Status.OPENED
    eta: datetime | None = None
    exit_criteria: list[ExitCriterion] = field(default_factory=list)
    updates: list[Update] = field(default_factory=list)
    eta_changes: list[EtaChange] = field(default_factory=list)
    owner_changes: list[OwnerChange] = field(default_factory=list)
    agreement: CustomerAgreement | None = None
    rca_reference: str | None = None
    # What the customer reads the escalation is about (status page, e-mails); `summary` is
    # the team's own words and never leaves the desk.
    customer_summary: str | None = None
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    next_internal_update_due: datetime | None = None
    next_customer_update_due: datetime | None = None
    id: int | None = None
    version: int = 0
    pending_events: list[Event] = field(default_factory=list, repr=False)
    pending_messages: list[OutboxMessage] = field(default_factory=list, repr=False)
    # The account's working calendar (R-SLA-1), attached by the store when it loads one.
    calendar: WorkingCalendar = field(default=TWENTY_FOUR_SEVEN, repr=False, compare=False)
    # Waiting on the customer (R-SLA-2): read from the audit trail, never counted up.
    pauses: list[Pause] = field(default_factory=list, repr=False, compare=False)
    standup: StandupPlan | None = field(default=None, repr=False, compare=False)
    snoozes: list[Snooze] = field(default_factory=list, repr=False, compare=False)

    # ------------------------------------------------------------------ updates
    def post_update(
        self,
        audience: Audience,
        body: str,
        *,
        by_id: int | None,
        now: datetime,
        policy: SeverityPolicy,
        contacts: Sequence[CustomerContact] = (),
    ) -> Update:
        """R-ESC-6: an update restarts that audience's cadence; the first one starts the work.
        A customer-facing update is e-mailed to each of the account's `contacts`, in their
        language; an internal one goes to the escalation's channel and never to a contact."""
        self._require_open("post an update")
        update = Update(audience, check_text(body, "body", max_length=MAX_TEXT), by_id, now)
        self.updates.append(update)
        activated = self.status is Status.OPENED
        if activated:
            self._set_status(Status.ACTIVE, "activated", now, by_id, {})
        self._record("update_posted", now, by_id, {"audience": audience.value, "body": update.body})
        if audience is Audience.INTERNAL:
            self._notify(MessageKind.POST, self.channel, template=Template.UPDATE, body=update.body)
        else:
            for contact in contacts:
                self._notify(
                    MessageKind.CUSTOMER_EMAIL,
                    contact.email,
                    audience=Audience.CUSTOMER.value,
                    summary=self.customer_summary or "",
                    reference=self.reference,
                    body=update.body,
                    contact_name=contact.name,
                    language=contact.language,
                )
        self._reschedule(policy)
        if activated:
            self._refresh_opening(now)
        return update

    @property
    def reference(self) -> str:
        """The short name the team and the customer both quote: ESC-12."""
        return f"ESC-{self.id}"

    def set_customer_summary(self, text: str, *, by_id: int | None, now: datetime) -> None:
        """Say in the customer's words what the escalation is about; the internal summary
        stays internal (R-OPS-2)."""
        self._require_open("change the customer summary")
        text = check_text(text, "customer_summary", max_length=MAX_SUMMARY)
        if text == self.customer_summary:
            raise InvalidInput("customer_summary", "is unchanged", "Give a different summary")
        old, self.customer_summary = self.customer_summary, text
        self._record("customer_summary_set", now, by_id, {"from": old, "to": text})

    def last_update_at(self, audience: Audience) -> datetime:
        """The last update of an audience, or when the cadence (re)started if none since."""
        start = self.cadence_start or self.opened_at
        times = [u.posted_at for u in self.updates if u.audience is audience]
        return max([start, *times])

    # ------------------------------------------------------------------ severity and owners
    def change_severity(
        self,
        severity: Severity,
        *,
        owners: Owners,
        account: Account,
        reason: str,
        by_id: int | None,
        now: datetime,
        policy: SeverityPolicy,
    ) -> None:
        """R-ESC-1/7: a key moment, told in the shared channel; owners must fit the new level."""
        self._require_open("change the severity")
        reason = check_text(reason, "reason", max_length=MAX_TEXT)
        if severity is self.severity:
            raise InvalidInput("severity", f"is already {severity}", "Give a different severity")
        check_owners(severity, self.route, self.product_related, account, owners)
        old = self.severity
        self.severity = severity
        self._record(
            "severity_changed",
            now,
            by_id,
            {"from": old.value, "to": severity.value, "reason": reason},
        )
        self._apply_owners(owners, f"severity {old} → {severity}: {reason}", by_id, now)
        self._reschedule(policy)
        self._notify(
            MessageKind.ANNOUNCE,
            SHARED_CHANNEL,
            template=Template.SEVERITY_CHANGED,
            old=old.value,
            severity=severity.value,
            reason=reason,
            status=self.status.value,
        )
        self._refresh_opening(now)

    def assign_owners(
        self, owners: Owners, *, account: Account, reason: str, by_id: int | None, now: datetime
    ) -> list[OwnerChange]:
        """R-ESC-2: a DRI always exists, and every change of owner is recorded with a reason."""
        self._require_open("change owners")
        reason = check_text(reason, "reason", max_length=MAX_TEXT)
        check_owners(self.severity, self.route, self.product_related, account, owners)
        changes = self._apply_owners(owners, reason, by_id, now)
        if not changes:
            raise InvalidInput("dri", "nothing changes", "Name a different person")
        self._refresh_opening(now)
        return changes

    @property
    def owners_with_powers(self) -> tuple[int | None, ...]:
        """Who runs this escalation (seed 004): the DRI, and the product DRI of a product item."""
        return (self.dri_id, self.product_dri_id if self.product_related else None)

    def _owner_ids(self) -> list[int]:
        ids = [self.dri_id, self.product_dri_id, self.product_leader_id]
        return [i for i in ids if i is not None]

    def _apply_owners(
        self, owners: Owners, reason: str, by_id: int | None, now: datetime
    ) -> list[OwnerChange]:
        proposed = {
            OwnerRole.DRI: owners.dri.id,
            OwnerRole.PRODUCT_DRI: owners.product_dri.id if owners.product_dri else None,
            OwnerRole.PRODUCT_LEADER: owners.product_leader.id if owners.product_leader else None,
        }
        changes = []
        for role, new_id in proposed.items():
            old_id = getattr(self, f"{role.value}_id")
            if new_id == old_id:
                continue
            setattr(self, f"{role.value}_id", new_id)
            change = OwnerChange(role, old_id, new_id, reason, by_id, now)
            self.owner_changes.append(change)
            changes.append(change)
            self._record(
                "owner_changed",
                now,
                by_id,
                {"role": role.value, "from": old_id, "to": new_id, "reason": reason},
            )
            self._notify(
                MessageKind.POST,
                self.channel,
                template=Template.OWNER_CHANGED,
                role=role.value,
                old_id=old_id,
                new_id=new_id,
                reason=reason,
            )
        return changes

    # ------------------------------------------------------------------ ETA and exit criteria
    def set_eta(self, eta: datetime, *, reason: str, by_id: int | None, now: datetime) -> EtaChange:
        """R-ESC-8: every ETA change is kept with its reason, so slips stay visible."""
        self._require_open("change the ETA")
        reason = check_text(reason, "reason", max_length=MAX_TEXT)
        if eta <= now:
            raise InvalidInput("eta", "is in the past", "Give a future moment")
        if eta == self.eta:
            raise InvalidInput("eta", "is unchanged", "Give a different moment")
        change = EtaChange(now, self.eta, eta, reason, by_id)
        self.eta = eta
        self.eta_changes.append(change)
        self._record(
            "eta_changed",
            now,
            by_id,
            {
                "from": iso(change.old_eta),
                "to": iso(eta),
                "reason": reason,
                "slipped": change.slipped,
            },
        )
        self._notify(
            MessageKind.POST,
            self.channel,
            template=Template.ETA_CHANGED,
            old=iso(change.old_eta),
            eta=iso(eta),
            reason=reason,
        )
        self._refresh_opening(now)
        return change

    @property
    def eta_slips(self) -> int:
        return sum(1 for c in self.eta_changes if c.slipped)

    def add_exit_criterion(self, text: str, *, by_id: int | None, now: datetime) -> ExitCriterion:
        self._require_open("change exit criteria")
        criterion = ExitCriterion(check_text(text, "exit_criterion"))
        self.exit_criteria.append(criterion)
        self._record("exit_criterion_added", now, by_id, {"text": criterion.text})
        return criterion

    def mark_exit_criterion(
        self, number: int, done: bool, *, by_id: int | None, now: datetime
    ) -> ExitCriterion:
        """Tick (or untick) criterion `number`, counted from 1 as the tracker shows them."""
        self._require_open("change exit criteria")
        criterion = closing.criterion_to_mark(self.exit_criteria, number, done)
        closing.tick(criterion, done, now)
        self._record(
            "exit_criterion_done" if done else "exit_criterion_undone",
            now,
            by_id,
            {"number": number, "text": criterion.text},
        )
        return criterion

    # ------------------------------------------------------------------ lifecycle
    def move_to_monitoring(self, *, note: str, by_id: int | None, now: datetime) -> None:
        """R-ESC-7/9: risk reduced to standard process — a key moment for the shared channel."""
        if self.status not in (Status.OPENED, Status.ACTIVE):
            raise StateRefused(
                f"the escalation is {self.status}; only an opened or active escalation "
                "can move to monitoring"
            )
        note = check_text(note, "note", max_length=MAX_TEXT)
        self._set_status(Status.MONITORING, "moved_to_monitoring", now, by_id, {"note": note})
        self._notify(
            MessageKind.ANNOUNCE,
            SHARED_CHANNEL,
            template=Template.MONITORING,
            severity=self.severity.value,
            note=note,
        )
        self._refresh_opening(now)

    def close(
        self,
        *,
        agreement: CustomerAgreement | None,
        rca_reference: str | None,
        by_id: int | None,
        now: datetime,
        retrospective_completed: bool = False,
        waivers: Sequence[closing.Waiver] = (),
        sentiment: str | None = None,
    ) -> None:
        """R-ESC-9: closing needs the customer's agreement, every exit criterion done or
        waived with a reason, and, if product related, an RCA (or a completed retrospective,
        R-RCA-1). Nothing changes unless all of it holds. The account's sentiment the DRI
        records at closing (seed 004) is kept on this trail too, where the closing is read."""
        self._require_open("close it")
        rca = (rca_reference or "").strip() or None
        waived = closing.checked_waivers(self.exit_criteria, waivers)
        closing.require_closable(
            product_related=self.product_related,
            agreement=agreement,
            rca=rca,
            retrospective_completed=retrospective_completed,
            criteria=self.exit_criteria,
            waived=waived,
        )
        assert agreement is not None
        agreement.check(self.opened_at, now)
        for number, reason in sorted(waived.items()):
            criterion = self.exit_criteria[number - 1]
            closing.waive(criterion, reason, by_id, now)
            waiver = {"number": number, "text": criterion.text, "waiver": reason}
            self._record("exit_criterion_waived", now, by_id, waiver)
        self.agreement = agreement
        self.rca_reference = rca
        self.closed_at = now
        self._set_status(
            Status.CLOSED,
            "closed",
            now,
            by_id,
            {
                "agreed_by": agreement.who,
                "agreed_at": agreement.when.isoformat(),
                "agreed_via": agreement.how.value,
                "rca": rca,
                "waived": sorted(waived),
                **({"sentiment": sentiment} if sentiment else {}),
            },
        )
        self._notify(
            MessageKind.ANNOUNCE,
            SHARED_CHANNEL,
            template=Template.CLOSED,
            severity=self.severity.value,
            agreed_by=agreement.who,
            rca=rca,
            waived=len(waived),
        )
        self._refresh_opening(now)  # before archiving: Slack edits nothing in an archived channel
        self._notify(MessageKind.ARCHIVE_CHANNEL, self.channel)

    def reopen(
        self, *, reason: str, by_id: int | None, now: datetime, policy: SeverityPolicy
    ) -> None:
        """R-ESC-9: reopening is allowed and recorded; the cadence starts again from now. Waived
        criteria are open again: the next closing needs them done or waived anew."""
        if self.status not in (Status.MONITORING, Status.CLOSED):
            raise StateRefused(
                f"the escalation is {self.status}; only a monitoring or closed escalation "
                "can be reopened"
            )
        reason = check_text(reason, "reason", max_length=MAX_TEXT)
        was_closed = self.status is Status.CLOSED
        self.agreement = None
        self.closed_at = None
        cleared = closing.clear_waivers(self.exit_criteria)
        data: dict[str, Any] = {"reason": reason}
        if cleared:
            data["waivers_cleared"] = cleared
        self._set_status(Status.ACTIVE, "reopened", now, by_id, data)
        self.cadence_start = now
        self._reschedule(policy)
        if was_closed:
            self._notify(MessageKind.UNARCHIVE_CHANNEL, self.channel, invite=self._owner_ids())
        self._notify(
            MessageKind.ANNOUNCE,
            SHARED_CHANNEL,
            template=Template.REOPENED,
            severity=self.severity.value,
            reason=reason,
        )
        self._refresh_opening(now)  # after unarchiving, for the same reason

    # ------------------------------------------------------------------ the opening message
    def opening_state(self) -> dict[str, Any]:
        """What the pinned opening message shows of the escalation; kept true by a refresh
        whenever the DRI, the severity, the ETA or the status changes (issue #21)."""
        return {
            "summary": self.summary,
            "severity": self.severity.value,
            "status": self.status.value,
            "dri_id": self.dri_id,
            "eta": iso(self.eta),
            "initial_ask": self.initial_ask,
            "required_skills": list(self.required_skills),
        }

    def _refresh_opening(self, now: datetime) -> None:
        """Ask for the opening message to be rewritten with the state after this change: one
        refresh per change (a severity change that also hands over asks once), carrying the
        state as it is now — the store stamps the change's version on it."""
        self.pending_messages[:] = [
            m for m in self.pending_messages if m.kind is not MessageKind.REFRESH_OPENING
        ]
        self._notify(
            MessageKind.REFRESH_OPENING,
            self.channel,
            template=Template.OPENING,
            changed_at=iso(now),
            **self.opening_state(),
        )

    # ------------------------------------------------------------------ internals
    def _require_open(self, action: str) -> None:
        if self.status is Status.CLOSED:
            raise StateRefused(f"the escalation is closed, so you cannot {action}; reopen it first")

    def _set_status(
        self, status: Status, event: str, now: datetime, by_id: int | None, data: dict[str, Any]
    ) -> None:
        old = self.status
        self.status = status
        self._record(event, now, by_id, {"from": old.value, "status": status.value, **data})
        self._reschedule_if_closed()

    def _reschedule_if_closed(self) -> None:
        if self.status is Status.CLOSED:
            self.next_internal_update_due = None
            self.next_customer_update_due = None

    def _reschedule(self, policy: SeverityPolicy) -> None:
        """Store the next due moment per audience (clock.py decides), so overdue is a query."""
        if self.status is Status.CLOSED:
            self._reschedule_if_closed()
            return
        level = policy[self.severity]
        self.next_internal_update_due = clock.next_update_due(
            self.last_update_at(Audience.INTERNAL), level, Audience.INTERNAL, self.calendar
        )
        self.next_customer_update_due = customer_update_due(
            self.last_update_at(Audience.CUSTOMER),
            level.customer_update_every,
            level.customer_update_clock,
            self.calendar,
            self.pauses,
        )

    def due_summary(self, now: datetime) -> clock.DueSummary:
        return clock.DueSummary(self.next_internal_update_due, self.next_customer_update_due, now)

    def _record(self, type_: str, at: datetime, actor_id: int | None, data: dict[str, Any]) -> None:
        self.updated_at = at
        self.pending_events.append(Event(type_, at, actor_id, data))

    def _notify(
        self,
        kind: MessageKind,
        destination: str,
        template: Template | None = None,
        **payload: Any,
    ) -> None:
        data = {"customer": self.customer, "channel": self.channel, **payload}
        if template is not None:
            data["template"] = template.value
        self.pending_messages.append(OutboxMessage(kind, destination, data, template))
