"""R-ESC-5/6/8/9/11: opening, updates and their cadence, ETA history, closing and reopening."""

from __future__ import annotations

from datetime import timedelta

import pytest

from escdesk.domain.audit import replay
from escdesk.domain.clock import Audience
from escdesk.domain.dri import Owners
from escdesk.domain.errors import InvalidInput, RuleRefused, StateRefused
from escdesk.domain.messages import SHARED_CHANNEL
from escdesk.domain.people import Role
from escdesk.domain.records import AgreementChannel, CustomerAgreement, Status
from escdesk.domain.severity import DEFAULT_POLICY, Severity
from tests.domain.builders import NOW, account, criteria_met, escalation, person

P = DEFAULT_POLICY


def agreement(hours: int = 1) -> CustomerAgreement:
    return CustomerAgreement("Jo Chen, CTO", NOW + timedelta(hours=hours), AgreementChannel.EMAIL)


def test_r_esc_5_opening_requires_required_skills() -> None:
    with pytest.raises(RuleRefused) as refused:
        escalation(required_skills=["  "])
    assert refused.value.rule_id == "R-ESC-5"


def test_r_esc_5_opening_requires_an_initial_ask() -> None:
    with pytest.raises(InvalidInput) as error:
        escalation(initial_ask="")
    assert error.value.field == "initial_ask"


def test_opening_declares_in_the_shared_channel_and_opens_a_channel_of_its_own() -> None:
    esc = escalation()
    kinds = [(m.kind, m.destination, m.payload.get("template")) for m in esc.pending_messages]
    assert kinds == [
        ("slack.create_channel", "#esc_acme-corp", None),
        ("slack.post", "#esc_acme-corp", "opening"),
        ("slack.announce", SHARED_CHANNEL, "declaration"),
    ]
    assert esc.pending_messages[1].payload["pin"] is True
    assert [e.type for e in esc.pending_events] == ["opened"]


@pytest.mark.parametrize("severity", list(Severity))
def test_r_esc_6_next_updates_are_due_one_cadence_after_opening(severity: Severity) -> None:
    csm = person(Role.CSM)
    owners = Owners(dri=csm) if severity.is_high_or_critical else None
    esc = escalation(severity=severity, acct=account(csm=csm), owners=owners)
    level = P[severity]
    assert esc.next_internal_update_due == NOW + level.internal_update_every
    assert esc.next_customer_update_due == NOW + level.customer_update_every


def test_r_esc_6_an_update_restarts_only_its_own_audience_cadence() -> None:
    esc = escalation()
    later = NOW + timedelta(days=2)
    esc.post_update(Audience.CUSTOMER, "Patch deployed to staging", by_id=None, now=later, policy=P)
    assert esc.next_customer_update_due == later + P[Severity.MEDIUM].customer_update_every
    assert esc.next_internal_update_due == NOW + P[Severity.MEDIUM].internal_update_every
    assert esc.status is Status.ACTIVE


def test_r_esc_6_overdue_is_reported_per_audience() -> None:
    esc = escalation()
    esc.post_update(
        Audience.INTERNAL, "Logs collected", by_id=None, now=NOW + timedelta(days=6), policy=P
    )
    due = esc.due_summary(NOW + timedelta(days=8))
    assert due.overdue_audiences == [Audience.CUSTOMER]


def test_r_esc_7_only_key_moments_reach_the_shared_channel() -> None:
    esc = escalation()
    esc.pending_messages.clear()
    esc.post_update(Audience.INTERNAL, "Logs collected", by_id=None, now=NOW, policy=P)
    esc.set_eta(NOW + timedelta(days=9), reason="vendor", by_id=None, now=NOW)
    assert SHARED_CHANNEL not in {m.destination for m in esc.pending_messages}
    esc.move_to_monitoring(note="fix deployed", by_id=None, now=NOW)
    told = [m.destination for m in esc.pending_messages if m.kind != "slack.refresh_opening"]
    assert told[-1] == SHARED_CHANNEL


def test_the_opening_message_is_refreshed_once_per_change_of_dri_severity_eta_or_status() -> None:
    esc = escalation()
    esc.pending_messages.clear()
    esc.post_update(Audience.INTERNAL, "Logs collected", by_id=None, now=NOW, policy=P)
    refreshes = [m for m in esc.pending_messages if m.kind == "slack.refresh_opening"]
    assert [(m.destination, m.payload["status"]) for m in refreshes] == [
        ("#esc_acme-corp", "active")
    ]
    esc.pending_messages.clear()
    esc.post_update(Audience.INTERNAL, "Still active", by_id=None, now=NOW, policy=P)
    assert all(m.kind != "slack.refresh_opening" for m in esc.pending_messages)
    esc.set_eta(NOW + timedelta(days=9), reason="vendor", by_id=None, now=NOW)
    esc.move_to_monitoring(note="fix deployed", by_id=None, now=NOW)
    refreshes = [m for m in esc.pending_messages if m.kind == "slack.refresh_opening"]
    assert len(refreshes) == 1, "one refresh, with the state after everything changed"
    assert refreshes[0].payload["status"] == "monitoring"
    assert refreshes[0].payload["eta"] == (NOW + timedelta(days=9)).isoformat()


def test_closing_refreshes_the_opening_before_the_channel_is_archived() -> None:
    esc = criteria_met(escalation())
    esc.pending_messages.clear()
    esc.close(agreement=agreement(), rca_reference=None, by_id=None, now=NOW + timedelta(hours=2))
    kinds = [m.kind for m in esc.pending_messages]
    assert kinds.index("slack.refresh_opening") < kinds.index("slack.archive")


def test_r_esc_8_eta_changes_keep_history_and_count_slips() -> None:
    esc = escalation()
    esc.set_eta(NOW + timedelta(days=10), reason="vendor patch late", by_id=None, now=NOW)
    esc.set_eta(NOW + timedelta(days=5), reason="workaround found", by_id=None, now=NOW)
    esc.set_eta(NOW + timedelta(days=12), reason="regression", by_id=None, now=NOW)
    assert [c.reason for c in esc.eta_changes] == [
        "initial ETA",
        "vendor patch late",
        "workaround found",
        "regression",
    ]
    assert esc.eta_slips == 2


def test_r_esc_8_an_eta_change_needs_a_reason_and_a_future_moment() -> None:
    esc = escalation()
    with pytest.raises(InvalidInput, match="reason"):
        esc.set_eta(NOW + timedelta(days=3), reason=" ", by_id=None, now=NOW)
    with pytest.raises(InvalidInput, match="eta"):
        esc.set_eta(NOW - timedelta(days=1), reason="oops", by_id=None, now=NOW)


def test_r_esc_9_closing_is_refused_without_customer_agreement() -> None:
    esc = escalation()
    with pytest.raises(RuleRefused) as refused:
        esc.close(agreement=None, rca_reference=None, by_id=None, now=NOW)
    assert refused.value.rule_id == "R-ESC-9"
    assert "agreement" in refused.value.missing[0].what
    assert refused.value.missing[0].fields == ("agreed_by", "agreed_at", "agreed_via")
    assert esc.status is Status.OPENED


def test_r_esc_9_closing_a_product_escalation_is_refused_without_rca() -> None:
    esc = criteria_met(escalation(product_related=True))
    with pytest.raises(RuleRefused) as refused:
        esc.close(agreement=agreement(), rca_reference="", by_id=None, now=NOW + timedelta(days=1))
    (need,) = refused.value.missing
    assert need.what == (
        "a completed retrospective, or a root-cause analysis reference for this "
        "product-related escalation"
    )
    assert need.fields == ("rca_reference",)


def test_r_esc_9_closing_refused_then_accepted_with_agreement_and_rca() -> None:
    esc = criteria_met(escalation(product_related=True))
    with pytest.raises(RuleRefused):
        esc.close(agreement=None, rca_reference=None, by_id=None, now=NOW)
    esc.close(
        agreement=agreement(),
        rca_reference="https://wiki/rca/42",
        by_id=None,
        now=NOW + timedelta(days=1),
    )
    assert esc.status is Status.CLOSED
    assert esc.next_customer_update_due is None
    assert [m.kind for m in esc.pending_messages][-1] == "slack.archive"


def test_r_esc_9_an_agreement_in_the_future_is_refused() -> None:
    esc = criteria_met(escalation())
    with pytest.raises(InvalidInput) as error:
        esc.close(agreement=agreement(hours=48), rca_reference=None, by_id=None, now=NOW)
    assert error.value.field == "agreed_at"


def test_r_esc_9_reopen_is_recorded_and_restarts_the_cadence() -> None:
    esc = criteria_met(escalation())
    closed_at = NOW + timedelta(days=1)
    esc.close(agreement=agreement(), rca_reference=None, by_id=None, now=closed_at)
    reopened_at = NOW + timedelta(days=20)
    esc.reopen(reason="the stall came back", by_id=None, now=reopened_at, policy=P)
    assert esc.status is Status.ACTIVE
    assert esc.agreement is None
    assert esc.next_internal_update_due == reopened_at + P[Severity.MEDIUM].internal_update_every
    assert esc.pending_events[-1].type == "reopened"
    assert esc.pending_events[-1].data["reason"] == "the stall came back"


def test_a_closed_escalation_refuses_changes_until_reopened() -> None:
    esc = criteria_met(escalation())
    esc.close(agreement=agreement(), rca_reference=None, by_id=None, now=NOW + timedelta(days=1))
    with pytest.raises(StateRefused, match="closed"):
        esc.post_update(Audience.INTERNAL, "late note", by_id=None, now=NOW, policy=P)


def test_r_esc_11_replaying_the_trail_gives_the_state() -> None:
    csm = person(Role.CSM)
    acct = account(csm=csm)
    owners = Owners(
        dri=csm,
        product_dri=person(Role.PRODUCT),
        product_leader=person(Role.PRODUCT_LEADER_DIRECTOR),
    )
    esc = escalation(severity=Severity.HIGH, product_related=True, acct=acct, owners=owners)
    esc.add_exit_criterion("customer confirms", by_id=None, now=NOW)
    esc.mark_exit_criterion(2, True, by_id=None, now=NOW)
    plt = person(Role.PRODUCT_LEADER_PLT)
    esc.change_severity(
        Severity.CRITICAL,
        owners=Owners(csm, owners.product_dri, plt),
        account=acct,
        reason="outage",
        by_id=None,
        now=NOW,
        policy=P,
    )
    trail = replay(esc.pending_events)
    assert trail.severity == "critical"
    assert trail.product_leader_id == plt.id
    assert trail.exit_criteria == [
        ("p95 under 30 s for a week", False),
        ("customer confirms", True),
    ]
    assert trail.status == esc.status.value
