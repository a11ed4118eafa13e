"""R-ESC-9 through the service and the store: waivers are kept with the criterion, told in the
trail and the tracker, cleared on reopening; a refused closing writes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from escdesk.domain.closing import Waiver
from escdesk.domain.errors import InvalidInput, RuleRefused
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    ChangeExitCriteria,
    CloseEscalation,
    EscalationHistory,
    ReopenEscalation,
    ShowEscalation,
    agreement_from,
    waiver_from,
)
from escdesk.services.tracker import load_tracker, render_tracker
from escdesk.services.trail_text import describe
from escdesk.services.views import EscalationDetail
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

CRITERIA = ["p95 under 30 s for a week", "Runners upgraded", "Weekly report agreed"]


def _show(uow: SqlUnitOfWork, esc_id: int) -> EscalationDetail:
    detail: EscalationDetail = factories.ask(uow, service.show_escalation, ShowEscalation(esc_id))
    return detail


def _closing(esc_id: int, now: datetime, *waivers: Waiver) -> CloseEscalation:
    return CloseEscalation(esc_id, agreement_from("Jo Chen, CTO", now, "email"), waivers=waivers)


def test_a_waived_closing_is_stored_told_in_the_trail_and_the_tracker(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    closer = factories.add_person(uow, "support", now=now, name="Sam Support")
    esc = factories.open_escalation(uow, now=now, exit_criteria=CRITERIA, by=closer.email)
    assert esc.id is not None
    factories.act(uow, ChangeExitCriteria(esc.id, done=(2,)), now=now, by=closer.email)
    later = now + timedelta(days=2)
    waivers = (Waiver(1, "Jo agreed five clean days suffice"), Waiver(3, "Jo dropped the report"))
    factories.act(uow, _closing(esc.id, later, *waivers), now=later, by=closer.email)

    detail = _show(uow, esc.id)
    first, second, third = detail.escalation.exit_criteria
    assert (first.waived_reason, first.waived_at, first.waived_by_id) == (
        "Jo agreed five clean days suffice",
        later,
        closer.id,
    )
    assert second.done and not second.waived and third.waived
    assert detail.name_of(first.waived_by_id) == "Sam Support"

    history = factories.ask(uow, service.escalation_history, EscalationHistory(esc.id))
    lines = [
        describe(h, {}, show_internal=False, moment_text=str).text
        for h in history
        if h.type == "exit_criterion_waived"
    ]
    assert lines == [
        "Exit criterion 1 waived at closing: p95 under 30 s for a week"
        " — Jo agreed five clean days suffice",
        "Exit criterion 3 waived at closing: Weekly report agreed — Jo dropped the report",
    ], "a reader without internal access sees why: the customer reads it too"

    doc = render_tracker(
        load_tracker(uow, esc.id, now=later, policy=policy), base_url="https://desk.example.com"
    )
    assert (
        "1. [-] p95 under 30 s for a week (waived at closing 2026-11-04 09:00 UTC: "
        "Jo agreed five clean days suffice)"
    ) in doc
    assert "2. [x] Runners upgraded" in doc


def test_a_refused_closing_names_every_open_criterion_and_writes_nothing(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now, exit_criteria=CRITERIA)
    assert esc.id is not None
    with pytest.raises(RuleRefused) as refused:
        factories.act(uow, _closing(esc.id, now, Waiver(2, "not needed")), now=now)
    assert [n.fields for n in refused.value.missing] == [("waivers",)]
    assert "exit criteria 1 and 3" in refused.value.missing[0].what
    stored = _show(uow, esc.id).escalation
    assert stored.status == "opened" and stored.version == esc.version
    assert not any(c.waived for c in stored.exit_criteria)


def test_reopening_clears_the_stored_waivers_and_the_trail_says_so(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    esc = factories.open_escalation(uow, now=now)
    assert esc.id is not None
    factories.act(uow, _closing(esc.id, now, *factories.WAIVED), now=now)
    later = now + timedelta(days=3)
    factories.act(uow, ReopenEscalation(esc.id, "the stall came back"), now=later)
    stored = _show(uow, esc.id).escalation
    (criterion,) = stored.exit_criteria
    assert (criterion.waived_reason, criterion.waived_at, criterion.waived_by_id) == (None,) * 3
    history = factories.ask(uow, service.escalation_history, EscalationHistory(esc.id))
    reopened = next(h for h in history if h.type == "reopened")
    text = describe(reopened, {}, show_internal=True, moment_text=str).text
    assert text == "Reopened: the stall came back; waived exit criteria open again: 1"
    with pytest.raises(RuleRefused):
        factories.act(uow, _closing(esc.id, later), now=later)


@pytest.mark.parametrize(
    ("text", "waiver"),
    [
        ("2=moved to the Q3 plan", Waiver(2, "moved to the Q3 plan")),
        ("2: moved to the Q3 plan", Waiver(2, " moved to the Q3 plan")),
        ("#3=a: b", Waiver(3, "a: b")),
        (" 1 = dropped", Waiver(1, " dropped")),
    ],
)
def test_a_written_waiver_is_its_number_and_reason(text: str, waiver: Waiver) -> None:
    assert waiver_from(text) == waiver


@pytest.mark.parametrize("text", ["dropped", "two=dropped", "=dropped", "٣=dropped", "1234567=x"])
def test_a_written_waiver_without_a_number_is_refused_by_name(text: str) -> None:
    with pytest.raises(InvalidInput) as error:
        waiver_from(text)
    assert error.value.field == "waivers"
