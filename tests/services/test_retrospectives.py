"""Retrospectives through the real store (R-RCA-1, R-RCA-2): opened by monitoring or closing,
the timeline read from the trail, the closing guard, follow-ups and their on-time share."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from escdesk.domain.access import Actor
from escdesk.domain.errors import Forbidden, RuleRefused
from escdesk.domain.people import Role
from escdesk.domain.records import Status
from escdesk.domain.retrospective import RetroStatus, RootCause
from escdesk.services import escalations as esc_service
from escdesk.services import retrospectives as service
from escdesk.services.escalation_commands import CloseEscalation, agreement_from
from escdesk.services.retrospectives import (
    AddFollowUp,
    AddMissedOpportunity,
    AnnotateTimeline,
    CompleteRetrospective,
    DescribeRetrospective,
    FollowUpShares,
    MarkFollowUp,
    RetroRef,
    ShowRetrospective,
)
from escdesk.store.uow import SqlUnitOfWork
from tests.after_factories import engineering_escalation, to_monitoring
from tests.factories import WAIVED, act, add_person, ask, open_escalation, runner


def _written(uow: SqlUnitOfWork, esc_id: int, now: datetime) -> RetroRef:
    """A retrospective with everything completion needs."""
    ref = RetroRef(esc_id, by_escalation=True)
    cmd = DescribeRetrospective.parse(
        ref=ref,
        root_cause="design",
        summary="The retry flag was a trap",
        internal_notes="Blame nobody",
    )
    act(uow, cmd, now=now, handler=service.describe_retrospective)
    act(uow, AddMissedOpportunity(ref, "The 2025 ticket said the same"), now=now,
        handler=service.add_missed_opportunity)  # fmt: skip
    return ref


def _close(uow: SqlUnitOfWork, esc_id: int, now: datetime, rca: str | None = None) -> None:
    agreement = agreement_from("Dana at customer", now - timedelta(hours=1), "email")
    act(
        uow,
        CloseEscalation(esc_id, agreement, rca, waivers=WAIVED),
        now=now,
        handler=esc_service.close_escalation,
    )


def test_r_rca_1_moving_an_engineering_escalation_to_monitoring_opens_its_retrospective(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    to_monitoring(uow, esc, now=now + timedelta(days=1))
    assert esc.id is not None
    view = ask(uow, service.show_retrospective, ShowRetrospective(RetroRef(esc.id, True)))
    assert view.retro.status is RetroStatus.OPEN
    assert view.retro.due_at == now + timedelta(days=6)
    with uow:
        trail = uow.outbox.listing(None, 10, ("escalation", esc.id))
    assert trail  # the escalation's own messages are untouched by the retrospective


def test_r_rca_1_an_escalation_that_never_reached_engineering_gets_no_retrospective(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    _close(uow, esc.id, now + timedelta(days=1))
    with uow:
        assert uow.retrospectives.for_escalation(esc.id) is None


def test_r_rca_1_the_timeline_is_the_audit_trail_with_annotations_and_internal_text_kept_in(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now + timedelta(days=1))
    ref = RetroRef(esc.id, True)
    view = ask(uow, service.show_retrospective, ShowRetrospective(ref))
    kinds = [line.what for line in view.timeline]
    assert kinds[0] == "opened the escalation"
    assert "moved it to monitoring" in kinds
    first_update = next(line for line in view.timeline if "Heap dump" in line.detail)
    act(uow, AnnotateTimeline(ref, first_update.event_id, "Could have paged Engineering here"),
        now=now + timedelta(days=2), handler=service.annotate_timeline)  # fmt: skip
    view = ask(uow, service.show_retrospective, ShowRetrospective(ref))
    annotated = next(line for line in view.timeline if line.event_id == first_update.event_id)
    assert annotated.annotation == "Could have paged Engineering here"
    assert "Could have paged Engineering here" in view.markdown


def test_r_ops_2_a_reader_without_internal_rights_sees_no_internal_text_in_the_export(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now + timedelta(days=1))
    ref = _written(uow, esc.id, now + timedelta(days=1))
    sales = add_person(uow, "sales", now=now)
    reader = Actor(sales.id, sales.name, frozenset({Role.SALES}))
    shown = runner(uow, now).read(service.show_retrospective, ShowRetrospective(ref), reader)
    assert "Heap dump" not in shown.markdown
    assert "Blame nobody" not in shown.markdown
    assert "(an internal update)" in shown.markdown
    inside = ask(uow, service.show_retrospective, ShowRetrospective(ref))
    assert "Heap dump" in inside.markdown and "## Internal notes" in inside.markdown
    assert "design or usability" in inside.markdown


def test_r_rca_1_a_completed_retrospective_satisfies_the_closing_guard_without_an_rca(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    with pytest.raises(RuleRefused) as refused:
        _close(uow, esc.id, now + timedelta(days=1))
    assert "completed retrospective" in refused.value.missing[0].what
    to_monitoring(uow, esc, now=now + timedelta(days=1))
    ref = _written(uow, esc.id, now + timedelta(days=2))
    act(uow, CompleteRetrospective(ref), now=now + timedelta(days=2),
        handler=service.complete_retrospective)  # fmt: skip
    _close(uow, esc.id, now + timedelta(days=3))
    detail = ask(uow, esc_service.show_escalation, esc_service.ShowEscalation(esc.id))
    assert detail.escalation.status is Status.CLOSED


def test_r_rca_1_closing_with_a_written_rca_opens_the_retrospective_in_the_same_change(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    _close(uow, esc.id, now + timedelta(days=1), rca="https://wiki.example.com/rca/7")
    with uow:
        retro = uow.retrospectives.for_escalation(esc.id)
        assert retro is not None and retro.opened_at == now + timedelta(days=1)
        events = [e.type for e in uow.escalations.events(esc.id)]
    assert events[-1] == "closed"


def test_r_rca_1_completion_names_everything_still_missing(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    with pytest.raises(RuleRefused) as refused:
        act(uow, CompleteRetrospective(RetroRef(esc.id, True)), now=now,
            handler=service.complete_retrospective)  # fmt: skip
    assert len(refused.value.missing) == 3


def test_r_rca_2_follow_ups_are_owned_due_and_their_on_time_share_counted_per_team_and_cause(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    ref = _written(uow, esc.id, now)
    docs = add_person(uow, "support", now=now)
    eng = add_person(uow, "product", now=now)
    first = AddFollowUp(ref, "Document the retry flag", docs.email, now + timedelta(days=3), "docs")
    act(uow, first, now=now, handler=service.add_follow_up)
    act(uow, AddFollowUp(ref, "Refuse retries above 10", eng.email, now + timedelta(days=5)),
        now=now, handler=service.add_follow_up)  # fmt: skip
    act(uow, MarkFollowUp(ref, 1), now=now + timedelta(days=2), by=docs.email,
        handler=service.mark_follow_up)  # fmt: skip
    later = now + timedelta(days=6)
    shares = runner(uow, later).read(service.follow_up_shares, FollowUpShares(), Actor.system())
    assert shares.by_team["docs"].share == 1.0
    assert shares.by_team["product"].share == 0.0
    assert shares.by_root_cause[RootCause.DESIGN.value].on_time == 1
    assert shares.by_root_cause[RootCause.DESIGN.value].due == 2


def test_r_rca_2_someone_else_cannot_tick_a_follow_up_without_retrospective_rights(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = engineering_escalation(uow, now=now)
    assert esc.id is not None
    to_monitoring(uow, esc, now=now)
    ref = RetroRef(esc.id, True)
    owner = add_person(uow, "support", now=now)
    act(uow, AddFollowUp(ref, "Add an alert", owner.email, now + timedelta(days=3)), now=now,
        handler=service.add_follow_up)  # fmt: skip
    sales = add_person(uow, "sales", now=now)
    with pytest.raises(Forbidden):
        act(uow, MarkFollowUp(ref, 1), now=now, by=sales.email, handler=service.mark_follow_up)
