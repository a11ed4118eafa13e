"""R-REC-4: the weekly issues review keeps its strict 60-minute cap."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from escdesk.domain.errors import InvalidInput
from escdesk.domain.review import ReviewBudget, Section, Topic, weekly_review


def topics(prefix: str, count: int) -> list[Topic]:
    return [Topic(f"{prefix}-{i}", f"{prefix} {i}", "detail") for i in range(count)]


def test_r_rec_4_the_agenda_has_all_three_sections_with_time_boxes_in_rank_order() -> None:
    agenda = weekly_review(topics("issue", 2), topics("customer", 1), topics("esc", 2))
    assert [(i.section, i.ref, i.minutes) for i in agenda.items] == [
        (Section.OPENING, "opening", 5),
        (Section.CHRONIC_ISSUES, "issue-0", 5),
        (Section.CHRONIC_ISSUES, "issue-1", 5),
        (Section.PROBLEM_CUSTOMERS, "customer-0", 5),
        (Section.ESCALATIONS_AT_RISK, "esc-0", 3),
        (Section.ESCALATIONS_AT_RISK, "esc-1", 3),
    ]
    assert [i.starts_at_minute for i in agenda.items] == [0, 5, 10, 15, 20, 23]


def test_r_rec_4_a_busy_week_fills_exactly_sixty_minutes_and_carries_the_rest_over() -> None:
    agenda = weekly_review(topics("issue", 9), topics("customer", 9), topics("esc", 9))
    assert agenda.total_minutes == 60
    carried = [topic.ref for _, topic in agenda.carried_over]
    assert carried[:4] == ["issue-5", "issue-6", "issue-7", "issue-8"]
    assert len(carried) == 4 + 6 + 4


@given(
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(0, 40),
    st.integers(1, 15),
    st.integers(1, 15),
    st.integers(1, 15),
)
def test_r_rec_4_no_input_makes_the_review_run_past_its_cap(
    issues: int,
    customers: int,
    escalations: int,
    per_issue: int,
    per_customer: int,
    per_escalation: int,
) -> None:
    budget = ReviewBudget(
        per_chronic_issue=per_issue,
        per_problem_customer=per_customer,
        per_escalation=per_escalation,
    )
    agenda = weekly_review(
        topics("i", issues), topics("c", customers), topics("e", escalations), budget
    )
    assert agenda.total_minutes <= 60
    assert len(agenda.items) - 1 + len(agenda.carried_over) == issues + customers + escalations


def test_a_budget_over_the_cap_is_refused_naming_the_cap() -> None:
    with pytest.raises(InvalidInput) as error:
        ReviewBudget(chronic_issues=50)
    assert error.value.field == "review.cap"
