"""Interim releases and fixes without a database (R-FIX-1/2/3)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.fixes import Decision, Fix, FixKind, lead_times
from escdesk.domain.releases import Release, release_notes

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _fix(n: int, **values: object) -> Fix:
    fix = Fix.submit(title=f"Fix {n}", kind=FixKind.WORKAROUND, content="steps", url=None,
                     escalation_id=n, recurring_issue_id=None, by_id=1, now=NOW)  # fmt: skip
    fix.id = n
    fix.review(Decision.ACCEPT, reason=None, author_address="a@example.com", by_id=2, now=NOW)
    return fix


def test_r_fix_2_ranking_moves_a_fix_and_keeps_the_rest_in_order() -> None:
    release = Release.plan("4.2.1", NOW.date(), by_id=None, now=NOW)
    release.id = 1
    fixes = {n: _fix(n) for n in (1, 2, 3, 4)}
    for fix in fixes.values():
        release.add(fix, by_id=None, now=NOW)
    release.rank(4, 1, by_id=None, now=NOW)
    release.rank(1, 4, by_id=None, now=NOW)
    assert release.fix_ids == [4, 2, 3, 1]
    notes = release_notes(release, fixes, escalations={4: "Exports"}, issues={})
    assert notes.splitlines()[2] == "1. Fix 4 (workaround)"
    assert "ESC-4 Exports" in notes


def test_a_version_has_no_spaces_and_a_plan_is_not_in_the_past() -> None:
    with pytest.raises(InvalidInput):
        Release.plan("4.2 beta", NOW.date(), by_id=None, now=NOW)
    with pytest.raises(InvalidInput):
        Release.plan("4.2.1", NOW.date() - timedelta(days=1), by_id=None, now=NOW)


def test_a_shipped_release_is_closed_to_changes_and_an_empty_one_cannot_ship() -> None:
    release = Release.plan("4.2.1", NOW.date(), by_id=None, now=NOW)
    release.id = 1
    with pytest.raises(StateRefused):
        release.ship({}, notes="", waiting=[], channels=[], by_id=None, now=NOW)
    fix = _fix(1)
    release.add(fix, by_id=None, now=NOW)
    release.ship({1: fix}, notes="n", waiting=["b@x.com", "a@x.com", "a@x.com"],
                 channels=["#esc-1"], by_id=None, now=NOW)  # fmt: skip
    assert [m.destination for m in release.pending_messages] == ["a@x.com", "b@x.com", "#esc-1"]
    with pytest.raises(StateRefused):
        release.add(_fix(2), by_id=None, now=NOW)


def test_r_fix_3_lead_time_runs_from_the_first_report_to_the_shipping() -> None:
    fixes = [_fix(n) for n in (1, 2, 3)]
    for days, fix in zip((2, 10, 30), fixes, strict=True):
        fix.ship(release="4.2.1", reported_at=NOW - timedelta(days=days), by_id=None, now=NOW)
    summary = lead_times(fixes)
    assert (summary.shipped, summary.median_days, summary.longest_days) == (3, 10.0, 30.0)
    assert lead_times([]).median_days is None
