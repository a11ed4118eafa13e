"""R-REC-3 and R-RCA-3: recurring issues are confirmed, named, linked, fixed and watched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.domain.recurring_issue import (
    IssueStatus,
    RecurringIssue,
    prevention,
    trend,
    weekly_counts,
)

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


def issue(issue_id: int = 1) -> RecurringIssue:
    return RecurringIssue(label="ldap sync timeout", created_at=NOW, id=issue_id)


def test_r_rec_3_an_issue_is_confirmed_named_linked_and_fixed_with_events() -> None:
    recurring = issue()
    recurring.confirm(by_id=7, now=NOW)
    recurring.rename("LDAP sync times out on large groups", by_id=7, now=NOW)
    recurring.link_escalation(42, by_id=7, now=NOW)
    recurring.record_fix(
        reference="https://git.example.com/mr/881", release="16.4.1", fixed_at=NOW, by_id=7, now=NOW
    )
    assert recurring.status is IssueStatus.FIXED
    assert recurring.escalation_ids == {42}
    assert [e.type for e in recurring.pending_events] == [
        "issue_confirmed",
        "issue_renamed",
        "issue_linked_escalation",
        "issue_fixed",
    ]


def test_a_name_given_by_a_person_survives_relabelling_by_clustering() -> None:
    recurring = issue()
    recurring.relabel_from_terms("ldap group sync")
    assert recurring.label == "ldap group sync"
    recurring.rename("LDAP sync", by_id=None, now=NOW)
    recurring.relabel_from_terms("something else")
    assert recurring.label == "LDAP sync"


def test_merging_moves_links_and_freezes_the_merged_issue() -> None:
    kept, folded = issue(1), issue(2)
    folded.link_escalation(9, by_id=None, now=NOW)
    folded.merge_into(kept, by_id=None, now=NOW)
    assert kept.escalation_ids == {9}
    assert folded.status is IssueStatus.MERGED
    with pytest.raises(InvalidInput, match="merged into issue 1"):
        folded.confirm(by_id=None, now=NOW)
    with pytest.raises(InvalidInput):
        kept.merge_into(kept, by_id=None, now=NOW)


def test_a_fix_cannot_be_recorded_before_it_shipped() -> None:
    with pytest.raises(InvalidInput) as error:
        issue().record_fix(
            reference="MR 1", release=None, fixed_at=NOW + timedelta(days=1), by_id=None, now=NOW
        )
    assert error.value.field == "fixed_at"


def test_r_rca_3_prevention_counts_tickets_of_the_cause_after_the_fix() -> None:
    fixed_at = NOW - timedelta(weeks=4)
    created = [fixed_at - timedelta(weeks=w) for w in (1, 1, 2, 3)] + [fixed_at + timedelta(days=3)]
    figure = prevention(created, fixed_at, NOW)
    assert figure.after_fix == 1
    assert figure.after_fix_per_week == pytest.approx(0.25)
    assert figure.before_fix_per_week == pytest.approx(4 / 3)
    assert not figure.stopped
    assert prevention(created[:4], fixed_at, NOW).stopped


def test_weekly_counts_put_the_current_week_last_and_trend_follows_growth() -> None:
    created = [NOW - timedelta(days=d) for d in (1, 2, 3, 8, 9, 20)]
    assert weekly_counts(created, NOW, weeks=4) == [0, 1, 2, 3]
    assert trend([0, 1, 2, 3]) == pytest.approx(1.0)
    assert trend([3, 3, 3]) == 0
