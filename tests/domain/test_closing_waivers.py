"""R-ESC-9: an escalation closes with every exit criterion done, or waived with a reason.

A waiver is given at closing only, for an open criterion; it records why, when and by whom,
and its audit event carries the reason the customer reads. Reopening opens the waived criteria
again, so the next closing needs them done or waived anew.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from escdesk.domain.audit import replay
from escdesk.domain.closing import MAX_WAIVER_REASON, Waiver
from escdesk.domain.errors import InvalidInput, RuleRefused
from escdesk.domain.escalation import Escalation
from escdesk.domain.records import AgreementChannel, CustomerAgreement, Status
from escdesk.domain.severity import DEFAULT_POLICY
from tests.domain.builders import NOW, escalation

LATER = NOW + timedelta(days=3)
AGREED = CustomerAgreement("Jo Chen, CTO", NOW + timedelta(days=2), AgreementChannel.EMAIL)


def three_criteria() -> Escalation:
    """Criterion 1 open, 2 done, 3 open."""
    esc = escalation(
        exit_criteria=["p95 under 30 s for a week", "runners upgraded", "weekly report agreed"]
    )
    esc.mark_exit_criterion(2, True, by_id=None, now=NOW)
    return esc


def refusal(
    esc: Escalation, *waivers: Waiver, agreement: CustomerAgreement | None = AGREED
) -> RuleRefused:
    with pytest.raises(RuleRefused) as refused:
        esc.close(agreement=agreement, rca_reference=None, by_id=7, now=LATER, waivers=waivers)
    return refused.value


def test_closing_with_an_open_criterion_is_refused_naming_it() -> None:
    esc = escalation()
    refused = refusal(esc)
    assert refused.rule_id == "R-ESC-9"
    (need,) = refused.missing
    assert need.what == (
        "exit criterion 1 (“p95 under 30 s for a week”) ticked, or waived with a reason"
    )
    assert need.fields == ("waivers",)
    assert esc.status is Status.OPENED


def test_every_open_criterion_is_named_beside_the_missing_agreement() -> None:
    esc = three_criteria()
    refused = refusal(esc, agreement=None)
    assert [n.fields for n in refused.missing] == [
        ("agreed_by", "agreed_at", "agreed_via"),
        ("waivers",),
    ]
    assert refused.missing[1].what == "exit criteria 1 and 3 ticked, or each waived with a reason"


def test_waiving_some_names_only_the_others_and_waives_nothing_yet() -> None:
    esc = three_criteria()
    refused = refusal(esc, Waiver(3, "the customer dropped the weekly report"))
    assert "exit criterion 1 " in refused.missing[0].what
    assert not any(c.waived for c in esc.exit_criteria), "a refused closing changed nothing"


def test_waiving_each_open_criterion_closes_and_records_who_when_and_why() -> None:
    esc = three_criteria()
    esc.close(
        agreement=AGREED,
        rca_reference=None,
        by_id=7,
        now=LATER,
        waivers=[Waiver(3, "  dropped by the customer  "), Waiver(1, "measured for 5 days only")],
    )
    assert esc.status is Status.CLOSED
    first, second, third = esc.exit_criteria
    assert (first.waived_reason, first.waived_at, first.waived_by_id) == (
        "measured for 5 days only",
        LATER,
        7,
    )
    assert not second.waived and second.done
    assert third.waived_reason == "dropped by the customer"
    waived = [e for e in esc.pending_events if e.type == "exit_criterion_waived"]
    assert [(e.data["number"], e.data["waiver"], e.actor_id) for e in waived] == [
        (1, "measured for 5 days only", 7),
        (3, "dropped by the customer", 7),
    ]
    closed = esc.pending_events[-1]
    assert closed.type == "closed" and closed.data["waived"] == [1, 3]


def test_all_criteria_done_needs_no_waiver() -> None:
    esc = escalation()
    esc.mark_exit_criterion(1, True, by_id=None, now=NOW)
    esc.close(agreement=AGREED, rca_reference=None, by_id=None, now=LATER)
    assert esc.status is Status.CLOSED
    assert esc.pending_events[-1].data["waived"] == []


def test_an_escalation_without_criteria_closes_as_before() -> None:
    esc = escalation(exit_criteria=[])
    esc.close(agreement=AGREED, rca_reference=None, by_id=None, now=LATER)
    assert esc.status is Status.CLOSED


@pytest.mark.parametrize(
    ("waiver", "problem"),
    [
        (Waiver(1, "   "), "the waiver of criterion 1 has no reason"),
        (Waiver(2, "done anyway"), "criterion 2 is done, so there is nothing to waive"),
        (Waiver(4, "no such"), "there is no criterion 4"),
        (Waiver(0, "no such"), "there is no criterion 0"),
        (Waiver(1, "x" * (MAX_WAIVER_REASON + 1)), "longer than 500 characters"),
        (Waiver(1, "bad\x00byte"), "NUL"),
    ],
)
def test_a_bad_waiver_is_refused_by_name_and_nothing_changes(waiver: Waiver, problem: str) -> None:
    esc = three_criteria()
    with pytest.raises(InvalidInput) as error:
        esc.close(
            agreement=AGREED,
            rca_reference=None,
            by_id=None,
            now=LATER,
            waivers=[waiver, Waiver(3, "dropped")],
        )
    assert error.value.field == "waivers"
    assert problem in error.value.problem
    assert esc.status is Status.OPENED and not any(c.waived for c in esc.exit_criteria)


def test_a_criterion_waived_twice_is_refused() -> None:
    esc = escalation()
    with pytest.raises(InvalidInput, match="waived twice"):
        esc.close(
            agreement=AGREED,
            rca_reference=None,
            by_id=None,
            now=LATER,
            waivers=[Waiver(1, "a"), Waiver(1, "b")],
        )


def test_a_waiver_of_exactly_the_longest_reason_is_kept() -> None:
    esc = escalation()
    reason = "y" * MAX_WAIVER_REASON
    esc.close(
        agreement=AGREED, rca_reference=None, by_id=None, now=LATER, waivers=[Waiver(1, reason)]
    )
    assert esc.exit_criteria[0].waived_reason == reason


def test_reopening_opens_waived_criteria_again_and_the_next_closing_asks_anew() -> None:
    esc = three_criteria()
    esc.close(
        agreement=AGREED,
        rca_reference=None,
        by_id=7,
        now=LATER,
        waivers=[Waiver(1, "partly met"), Waiver(3, "dropped")],
    )
    reopened_at = LATER + timedelta(days=5)
    esc.reopen(reason="stalls again", by_id=7, now=reopened_at, policy=DEFAULT_POLICY)
    assert [c.waived for c in esc.exit_criteria] == [False, False, False]
    assert [c.done for c in esc.exit_criteria] == [False, True, False]
    assert esc.exit_criteria[0].waived_at is None and esc.exit_criteria[0].waived_by_id is None
    assert esc.pending_events[-1].data["waivers_cleared"] == [1, 3]
    waived_events = [e for e in esc.pending_events if e.type == "exit_criterion_waived"]
    assert len(waived_events) == 2, "the waivers given stay in the trail"
    again = AGREED.__class__("Jo Chen, CTO", reopened_at, AgreementChannel.CALL)
    refused = refusal(esc, agreement=again)
    assert refused.missing[0].what.startswith("exit criteria 1 and 3")


def test_reopening_without_waivers_records_none() -> None:
    esc = escalation()
    esc.mark_exit_criterion(1, True, by_id=None, now=NOW)
    esc.close(agreement=AGREED, rca_reference=None, by_id=None, now=LATER)
    esc.reopen(reason="back", by_id=None, now=LATER, policy=DEFAULT_POLICY)
    assert "waivers_cleared" not in esc.pending_events[-1].data


def test_replaying_the_trail_gives_the_waivers_and_their_clearing() -> None:
    esc = three_criteria()
    esc.close(
        agreement=AGREED,
        rca_reference=None,
        by_id=7,
        now=LATER,
        waivers=[Waiver(3, "dropped")] + [Waiver(1, "partly met")],
    )
    assert replay(esc.pending_events).waived == {1: "partly met", 3: "dropped"}
    esc.reopen(reason="back", by_id=7, now=LATER, policy=DEFAULT_POLICY)
    assert replay(esc.pending_events).waived == {}
