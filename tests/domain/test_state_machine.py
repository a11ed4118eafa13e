"""No sequence of commands reaches an invalid escalation (R-ESC-2/3/9/11), found by Hypothesis.

Commands are drawn with valid and invalid arguments alike. After every step: a refused command
changed nothing, the owners fit the severity, a closed escalation has its agreement (and RCA if
product related) and every exit criterion done or waived, only a closed one has waivers, due
moments exist exactly while open, and replaying the trail gives the state.
"""

from __future__ import annotations

import copy
from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from escdesk.domain.audit import replay
from escdesk.domain.clock import Audience
from escdesk.domain.closing import Waiver
from escdesk.domain.dri import Owners, Route, check_owners
from escdesk.domain.errors import EscdeskError
from escdesk.domain.people import Role
from escdesk.domain.records import AgreementChannel, CustomerAgreement, Status
from escdesk.domain.severity import DEFAULT_POLICY, Severity
from tests.domain.builders import NOW, account, escalation, person

CSM = person(Role.CSM)
PEOPLE = [
    CSM,
    person(Role.CSM),
    person(Role.SUPPORT),
    person(Role.PRODUCT),
    person(Role.PRODUCT_LEADER_DIRECTOR),
    person(Role.PRODUCT_LEADER_PLT),
    person(Role.SALES),
]
ACCOUNT = account(csm=CSM)
people = st.sampled_from(PEOPLE)
maybe_people = st.one_of(st.none(), people)
texts = st.sampled_from(["", "  ", "customer confirmed", "vendor delay", "x" * 10_001])


class EscalationMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.now = NOW
        self.esc = escalation(product_related=True, acct=ACCOUNT, owners=Owners(PEOPLE[2]))
        self.all_events = list(self.esc.pending_events)

    def attempt(self, command: object, *args: object, **kwargs: object) -> None:
        before = copy.deepcopy(self.esc)
        try:
            command(*args, **kwargs)  # type: ignore[operator]
        except EscdeskError:
            assert self.esc == before, "a refused command changed the escalation"
        self.all_events = [*self.all_events, *self.esc.pending_events[len(before.pending_events) :]]

    @rule(hours=st.integers(0, 24 * 9))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    @rule(audience=st.sampled_from(Audience), body=texts)
    def post_update(self, audience: Audience, body: str) -> None:
        self.attempt(
            self.esc.post_update, audience, body, by_id=None, now=self.now, policy=DEFAULT_POLICY
        )

    @rule(
        severity=st.sampled_from(Severity),
        dri=people,
        product_dri=maybe_people,
        leader=maybe_people,
        reason=texts,
    )
    def change_severity(
        self, severity: Severity, dri: object, product_dri: object, leader: object, reason: str
    ) -> None:
        owners = Owners(dri, product_dri, leader)  # type: ignore[arg-type]
        self.attempt(
            self.esc.change_severity,
            severity,
            owners=owners,
            account=ACCOUNT,
            reason=reason,
            by_id=None,
            now=self.now,
            policy=DEFAULT_POLICY,
        )

    @rule(dri=people, reason=texts)
    def hand_over(self, dri: object, reason: str) -> None:
        current = Owners(
            next(p for p in PEOPLE if p.id == self.esc.dri_id),
            next((p for p in PEOPLE if p.id == self.esc.product_dri_id), None),
            next((p for p in PEOPLE if p.id == self.esc.product_leader_id), None),
        )
        owners = Owners(dri, current.product_dri, current.product_leader)  # type: ignore[arg-type]
        self.attempt(
            self.esc.assign_owners, owners, account=ACCOUNT, reason=reason, by_id=None, now=self.now
        )

    @rule(days=st.integers(-3, 30), reason=texts)
    def set_eta(self, days: int, reason: str) -> None:
        self.attempt(
            self.esc.set_eta,
            self.now + timedelta(days=days),
            reason=reason,
            by_id=None,
            now=self.now,
        )

    @rule(text=texts)
    def add_exit_criterion(self, text: str) -> None:
        self.attempt(self.esc.add_exit_criterion, text, by_id=None, now=self.now)

    @rule(number=st.integers(0, 4), done=st.booleans())
    def mark_exit_criterion(self, number: int, done: bool) -> None:
        self.attempt(self.esc.mark_exit_criterion, number, done, by_id=None, now=self.now)

    @rule(note=texts)
    def monitor(self, note: str) -> None:
        self.attempt(self.esc.move_to_monitoring, note=note, by_id=None, now=self.now)

    @rule(
        agreed=st.booleans(),
        hours_ago=st.integers(-2, 48),
        rca=st.sampled_from([None, "", "RCA-7"]),
        waive=st.sampled_from(["", "  ", "moved to the next quarter's plan"]),
        waive_numbers=st.lists(st.integers(0, 4), max_size=3),
    )
    def close(
        self, agreed: bool, hours_ago: int, rca: str | None, waive: str, waive_numbers: list[int]
    ) -> None:
        agreement = (
            CustomerAgreement(
                "Jo, CTO", self.now - timedelta(hours=hours_ago), AgreementChannel.EMAIL
            )
            if agreed
            else None
        )
        self.attempt(
            self.esc.close,
            agreement=agreement,
            rca_reference=rca,
            by_id=None,
            now=self.now,
            waivers=[Waiver(n, waive) for n in waive_numbers],
        )

    @rule(reason=texts)
    def reopen(self, reason: str) -> None:
        self.attempt(
            self.esc.reopen, reason=reason, by_id=None, now=self.now, policy=DEFAULT_POLICY
        )

    @rule(text=st.one_of(texts, st.sampled_from(["Pipelines start late", "x" * 201])))
    def set_customer_summary(self, text: str) -> None:
        self.attempt(self.esc.set_customer_summary, text, by_id=None, now=self.now)

    @invariant()
    def owners_fit_the_severity(self) -> None:
        by_id = {p.id: p for p in PEOPLE}
        owners = Owners(
            by_id[self.esc.dri_id],
            by_id.get(self.esc.product_dri_id or -1),
            by_id.get(self.esc.product_leader_id or -1),
        )
        check_owners(self.esc.severity, Route.SUPPORT, True, ACCOUNT, owners)

    @invariant()
    def closed_means_agreed_and_analysed(self) -> None:
        closed = self.esc.status is Status.CLOSED
        assert (self.esc.agreement is not None) == closed
        assert not closed or self.esc.rca_reference
        assert not closed or all(c.settled for c in self.esc.exit_criteria)
        assert closed or not any(c.waived for c in self.esc.exit_criteria)
        assert (self.esc.next_internal_update_due is None) == closed
        assert (self.esc.next_customer_update_due is None) == closed

    @invariant()
    def the_trail_gives_the_state(self) -> None:
        trail = replay(self.all_events)
        assert trail.status == self.esc.status.value
        assert trail.severity == self.esc.severity.value
        assert (trail.dri_id, trail.product_dri_id, trail.product_leader_id) == (
            self.esc.dri_id,
            self.esc.product_dri_id,
            self.esc.product_leader_id,
        )
        assert trail.eta == (self.esc.eta.isoformat() if self.esc.eta else None)
        assert trail.exit_criteria == [(c.text, c.done) for c in self.esc.exit_criteria]
        assert trail.waived == {
            n: c.waived_reason
            for n, c in enumerate(self.esc.exit_criteria, start=1)
            if c.waived_reason is not None
        }
        assert trail.updates == len(self.esc.updates)
        assert trail.customer_summary == self.esc.customer_summary

    @invariant()
    def eta_history_ends_at_the_eta(self) -> None:
        assert self.esc.eta_changes[-1].new_eta == self.esc.eta


EscalationMachine.TestCase.settings = settings(
    max_examples=150, stateful_step_count=30, deadline=None
)
test_no_command_sequence_reaches_an_invalid_escalation = EscalationMachine.TestCase
