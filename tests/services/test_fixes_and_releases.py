"""Support-written fixes, Engineering's review queue and interim releases through the real
store (R-FIX-1/2/3, R-RCA-3): the author is told, contents are ordered, shipping closes the
loop in its own transaction and records the fix date and the lead time."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from escdesk.domain.errors import Forbidden, InvalidInput, StateRefused
from escdesk.domain.fixes import FixStatus
from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.services import fixes, releases
from escdesk.services.fixes import ListFixes, ReviewFix, SubmitFix
from escdesk.services.releases import AddToRelease, PlanRelease, RankFix, ShipRelease, ShowRelease
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation
from tests.factories import act, add_person, ask


def _issue(uow: SqlUnitOfWork, created: datetime, escalation_id: int | None = None) -> int:
    with uow:
        issue = RecurringIssue("Exports time out", created, IssueStatus.CONFIRMED, named=True)
        if escalation_id is not None:
            issue.escalation_ids.add(escalation_id)
        uow.recurring.add(issue)
        uow.commit()
    assert issue.id is not None
    return issue.id


def _outbox(uow: SqlUnitOfWork, subject: str) -> list[dict[str, Any]]:
    with uow:
        rows = uow.session.scalars(
            select(OutboxRow).where(OutboxRow.subject_type == subject).order_by(OutboxRow.id)
        )
        return [{"kind": r.kind, "to": r.destination, "payload": r.payload} for r in rows]


def _submit(uow: SqlUnitOfWork, now: datetime, by: str, **values: Any) -> int:
    values.setdefault("title", "Stream exports")
    values.setdefault("kind", "pull_request")
    values.setdefault("url", "https://github.com/acme/app/pull/42")
    fix = act(uow, SubmitFix.parse(**values), now=now, by=by,
              handler=fixes.submit_fix)  # fmt: skip
    assert fix.id is not None
    return int(fix.id)


def test_r_fix_1_a_fix_needs_something_to_fix_and_a_pull_request_needs_a_url(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    author = add_person(uow, "support", now=now)
    with pytest.raises(InvalidInput) as nothing:
        _submit(uow, now, author.email)
    assert nothing.value.field == "escalation"
    esc = engineering_escalation(uow, now=now)
    with pytest.raises(InvalidInput) as bad:
        _submit(uow, now, author.email, escalation_id=esc.id, url="github.com/acme/app/pull/1")
    assert bad.value.field == "url"
    with pytest.raises(InvalidInput) as empty:
        _submit(uow, now, author.email, escalation_id=esc.id, kind="patch", url=None)
    assert empty.value.field == "patch"


def test_r_fix_1_the_review_queue_accepts_asks_for_changes_and_rejects_and_tells_the_author(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    author = add_person(uow, "support", now=now, email="writer@example.com")
    engineer = add_person(uow, "product", now=now)
    esc = engineering_escalation(uow, now=now)
    one = _submit(uow, now, author.email, escalation_id=esc.id)
    two = _submit(uow, now, author.email, escalation_id=esc.id, kind="workaround", url=None,
                  content="Export in pages of 1000")  # fmt: skip
    queue = ask(uow, fixes.review_queue, ListFixes())
    assert [f.id for f in queue] == [one, two]
    with pytest.raises(Forbidden):
        act(uow, ReviewFix.parse(fix_id=one, decision="accept"), now=now, by=author.email,
            handler=fixes.review_fix)  # fmt: skip
    with pytest.raises(InvalidInput) as reason:
        act(uow, ReviewFix.parse(fix_id=two, decision="reject"), now=now, by=engineer.email,
            handler=fixes.review_fix)  # fmt: skip
    assert reason.value.field == "reason"
    act(uow, ReviewFix.parse(fix_id=one, decision="accept"), now=now, by=engineer.email,
        handler=fixes.review_fix)  # fmt: skip
    act(uow, ReviewFix.parse(fix_id=two, decision="ask_for_changes", reason="Add a test"),
        now=now, by=engineer.email, handler=fixes.review_fix)  # fmt: skip
    assert ask(uow, fixes.review_queue, ListFixes()) == []
    told = _outbox(uow, "fix")
    assert [m["to"] for m in told] == ["writer@example.com", "writer@example.com"]
    assert "accepted" in told[0]["payload"]["subject"]
    assert "Add a test" in told[1]["payload"]["body"]
    revised = act(uow, fixes.ReviseFix(two, content="Export in pages of 500"), now=now,
                  by=author.email, handler=fixes.revise_fix)  # fmt: skip
    assert revised.status is FixStatus.SUBMITTED


def test_r_fix_2_support_orders_the_release_and_the_notes_follow_the_order(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    author = add_person(uow, "support", now=now)
    engineer = add_person(uow, "product", now=now)
    esc = engineering_escalation(uow, now=now)
    ids = [_submit(uow, now, author.email, escalation_id=esc.id, title=f"Fix {n}") for n in "123"]
    for fix_id in ids:
        act(uow, ReviewFix.parse(fix_id=fix_id, decision="accept"), now=now, by=engineer.email,
            handler=fixes.review_fix)  # fmt: skip
    act(uow, PlanRelease("4.2.1", now.date() + timedelta(days=7)), now=now, by=author.email,
        handler=releases.plan_release)  # fmt: skip
    for fix_id in ids:
        act(uow, AddToRelease("4.2.1", fix_id), now=now, by=author.email,
            handler=releases.add_to_release)  # fmt: skip
    act(uow, RankFix("4.2.1", ids[2], 1), now=now, by=author.email, handler=releases.rank_fix)
    shown = ask(uow, releases.show_release, ShowRelease("4.2.1"))
    assert [f.id for f in shown.fixes] == [ids[2], ids[0], ids[1]]
    notes = shown.notes.splitlines()
    assert notes[2].startswith("1. Fix 3") and notes[4].startswith("2. Fix 1")
    assert f"ESC-{esc.id}" in shown.notes
    with pytest.raises(InvalidInput):
        act(uow, RankFix("4.2.1", ids[0], 9), now=now, by=author.email, handler=releases.rank_fix)


def test_r_fix_1_only_accepted_fixes_go_into_a_release(uow: SqlUnitOfWork, now: datetime) -> None:
    author = add_person(uow, "support", now=now)
    esc = engineering_escalation(uow, now=now)
    fix_id = _submit(uow, now, author.email, escalation_id=esc.id)
    act(uow, PlanRelease("4.3.0", now.date()), now=now, by=author.email,
        handler=releases.plan_release)  # fmt: skip
    with pytest.raises(StateRefused):
        act(uow, AddToRelease("4.3.0", fix_id), now=now, by=author.email,
            handler=releases.add_to_release)  # fmt: skip


def test_shipping_notifies_everyone_waiting_marks_the_issue_fixed_and_records_the_lead_time(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    author = add_person(uow, "support", now=now, email="writer@example.com")
    engineer = add_person(uow, "product", now=now)
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    issue_id = _issue(uow, now - timedelta(days=10), escalation_id=esc.id)
    fix_id = _submit(uow, now, author.email, recurring_issue_id=issue_id)
    act(uow, ReviewFix.parse(fix_id=fix_id, decision="accept"), now=now, by=engineer.email,
        handler=fixes.review_fix)  # fmt: skip
    act(uow, PlanRelease("4.2.2", now.date()), now=now, by=author.email,
        handler=releases.plan_release)  # fmt: skip
    act(uow, AddToRelease("4.2.2", fix_id), now=now, by=author.email,
        handler=releases.add_to_release)  # fmt: skip
    with pytest.raises(Forbidden):
        act(uow, ShipRelease("4.2.2"), now=now, by=author.email, handler=releases.ship_release)
    shipped_at = now + timedelta(days=4)
    act(uow, ShipRelease("4.2.2"), now=shipped_at, by=engineer.email,
        handler=releases.ship_release)  # fmt: skip

    with uow:
        issue = uow.recurring.get(issue_id)
        assert issue.status is IssueStatus.FIXED and issue.fixed_at == shipped_at
        assert issue.release == "4.2.2"
        dri = uow.people.get(esc.dri_id).email
    notices = _outbox(uow, "release")
    emailed = {m["to"] for m in notices if m["kind"] == "email.internal"}
    assert {"writer@example.com", dri} <= emailed
    assert [m["to"] for m in notices if m["kind"] == "slack.announce"] == [esc.channel]
    report = ask(uow, fixes.lead_time_report, fixes.LeadTimeReport())
    assert report.summary.shipped == 1 and report.summary.median_days == pytest.approx(14.0)
    with pytest.raises(StateRefused):
        act(uow, ShipRelease("4.2.2"), now=shipped_at, by=engineer.email,
            handler=releases.ship_release)  # fmt: skip


def test_a_failed_shipment_writes_nothing(uow: SqlUnitOfWork, now: datetime) -> None:
    """The loop-closing notices live in the shipping transaction: no ship, no notice."""
    author = add_person(uow, "support", now=now)
    engineer = add_person(uow, "product", now=now)
    esc = engineering_escalation(uow, now=now)
    gone, kept = _issue(uow, now), _issue(uow, now)
    first = _submit(uow, now, author.email, escalation_id=esc.id)
    second = _submit(uow, now, author.email, recurring_issue_id=gone)
    act(uow, PlanRelease("5.0.1", now.date()), now=now, by=author.email,
        handler=releases.plan_release)  # fmt: skip
    for fix_id in (first, second):
        act(uow, ReviewFix.parse(fix_id=fix_id, decision="accept"), now=now, by=engineer.email,
            handler=fixes.review_fix)  # fmt: skip
        act(uow, AddToRelease("5.0.1", fix_id), now=now, by=author.email,
            handler=releases.add_to_release)  # fmt: skip
    with uow:  # the issue was folded into another after the fix was accepted
        uow.recurring.get(gone).merge_into(uow.recurring.get(kept), by_id=None, now=now)
        uow.commit()
    with pytest.raises(InvalidInput):
        act(uow, ShipRelease("5.0.1"), now=now, by=engineer.email, handler=releases.ship_release)
    assert _outbox(uow, "release") == []
    with uow:
        assert uow.fixes.get(first).status is FixStatus.ACCEPTED
        assert uow.releases.find("5.0.1").shipped_at is None
