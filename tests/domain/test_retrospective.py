"""The retrospective without a database (R-RCA-1/2): taxonomy, timeline, reminders, shares."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from escdesk.domain import clock
from escdesk.domain.accounts import parse_choice
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.retrospective import (
    ROOT_CAUSE_WORDS,
    Retrospective,
    RootCause,
    needs_retrospective,
    on_time_shares,
)
from escdesk.domain.timeline import TrailEntry, build_timeline, to_markdown

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_r_rca_1_the_taxonomy_is_seed_001s_five_causes() -> None:
    assert [c.value for c in RootCause] == [
        "education", "product_bug", "design", "missing_capability", "environment",
    ]  # fmt: skip
    assert "the customer used it wrong" in ROOT_CAUSE_WORDS[RootCause.DESIGN]
    assert "local scripts and hacks" in ROOT_CAUSE_WORDS[RootCause.MISSING_CAPABILITY]
    with pytest.raises(InvalidInput) as unknown:
        parse_choice(RootCause, "user error", "root_cause")
    assert unknown.value.field == "root_cause"


def test_r_rca_1_only_escalations_that_reached_engineering_need_one() -> None:
    assert needs_retrospective(product_related=True, engineering_links=0)
    assert needs_retrospective(product_related=False, engineering_links=1)
    assert not needs_retrospective(product_related=False, engineering_links=0)


def test_the_timeline_is_the_trail_in_order_with_internal_text_hidden_from_outsiders() -> None:
    trail = [
        TrailEntry(3, "update_posted", NOW + timedelta(hours=2), "Ann",
                   {"audience": "internal", "body": "lock contention"}),
        TrailEntry(1, "opened", NOW, "Ann", {"severity": "high", "summary": "Exports stall"}),
        TrailEntry(2, "severity_changed", NOW + timedelta(hours=1), None,
                   {"from": "medium", "to": "high", "reason": "all users"}),
    ]  # fmt: skip
    outside = build_timeline(trail, {2: "should have paged"}, internal=False)
    assert [line.event_id for line in outside] == [1, 2, 3]
    assert outside[1].actor == "escdesk" and outside[1].annotation == "should have paged"
    assert outside[2].detail == "(an internal update)"
    inside = build_timeline(trail, {}, internal=True)
    assert "lock contention" in inside[2].detail


def test_the_markdown_export_keeps_internal_notes_for_insiders_only() -> None:
    retro = Retrospective.open(7, trigger="closed", by_id=None, now=NOW)
    cause = RootCause.PRODUCT_BUG
    retro.describe(root_cause=cause, summary="Lock | held", internal_notes="Ops slow",
                   by_id=None, now=NOW)  # fmt: skip
    lines = build_timeline([TrailEntry(1, "opened", NOW, "Ann", {})], {}, internal=False)
    shared = to_markdown(retro, title="Exports", timeline=lines, owners={}, internal=False, now=NOW)
    assert shared.startswith("# Retrospective: ESC-7 Exports")
    assert "Ops slow" not in shared and "product bug" in shared
    inside = to_markdown(retro, title="Exports", timeline=lines, owners={}, internal=True, now=NOW)
    assert "## Internal notes" in inside and "Ops slow" in inside


def test_annotating_a_line_that_is_not_on_the_trail_is_refused() -> None:
    retro = Retrospective.open(7, trigger="closed", by_id=None, now=NOW)
    with pytest.raises(InvalidInput):
        retro.annotate(99, "note", trail={1, 2}, by_id=None, now=NOW)


def test_a_completed_retrospective_no_longer_changes() -> None:
    retro = Retrospective.open(7, trigger="closed", by_id=None, now=NOW)
    retro.describe(root_cause=RootCause.EDUCATION, summary="Docs", internal_notes=None,
                   by_id=None, now=NOW)  # fmt: skip
    retro.add_missed_opportunity("The FAQ was wrong", by_id=None, now=NOW)
    retro.complete(by_id=None, now=NOW)
    with pytest.raises(StateRefused):
        retro.add_missed_opportunity("Late thought", by_id=None, now=NOW)


def test_r_rca_2_reminders_fall_a_day_before_and_after_the_due_moment_once_each() -> None:
    due = NOW + timedelta(days=3)
    assert clock.follow_up_reminder(due, 0, NOW) is None
    assert clock.follow_up_reminder(due, 0, due - timedelta(hours=1)) == "due_soon"
    assert clock.follow_up_reminder(due, 1, due - timedelta(hours=1)) is None
    assert clock.follow_up_reminder(due, 1, due + timedelta(seconds=1)) == "overdue"
    assert clock.follow_up_reminder(due, 0, due + timedelta(days=1)) == "overdue"
    assert clock.follow_up_reminder(due, 2, due + timedelta(days=9)) is None


def test_r_rca_2_a_follow_up_needs_a_future_due_date() -> None:
    retro = Retrospective.open(7, trigger="closed", by_id=None, now=NOW)
    with pytest.raises(InvalidInput) as past:
        retro.add_follow_up("x", owner_id=1, team="docs", due_at=NOW, by_id=None, now=NOW)
    assert past.value.field == "due"


def test_r_rca_2_the_on_time_share_counts_only_what_came_due() -> None:
    retro = Retrospective.open(7, trigger="closed", by_id=None, now=NOW)
    for days in (1, 2, 30):
        retro.add_follow_up(f"a{days}", owner_id=1, team="docs", due_at=NOW + timedelta(days=days),
                            by_id=None, now=NOW)  # fmt: skip
    retro.mark_follow_up(1, True, by_id=None, now=NOW + timedelta(hours=5))
    shares = on_time_shares([(f.team, f) for f in retro.follow_ups], NOW + timedelta(days=3))
    assert (shares["docs"].on_time, shares["docs"].due) == (1, 2)
