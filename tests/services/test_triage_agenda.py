"""The agenda through the real store (R-TRI-1): requests by score, escalations against ETA."""

from __future__ import annotations

from datetime import datetime, timedelta

from escdesk.services import triage
from escdesk.services.escalation_commands import ChangeExitCriteria
from escdesk.services.request_commands import TriageAgenda
from escdesk.store.uow import SqlUnitOfWork
from tests.factories import act, add_person, ask, open_escalation
from tests.request_factories import file_request


def test_the_agenda_ranks_requests_by_score_and_shows_each_escalations_progress(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    low = file_request(uow, now=now - timedelta(days=3), proposed_severity="low")
    high = file_request(uow, now=now, proposed_severity="critical")
    engineer = add_person(uow, "support", now=now)
    esc = open_escalation(
        uow, now=now - timedelta(days=4), by=engineer.email, exit_criteria=["one", "two", "three"]
    )
    assert esc.id is not None
    act(uow, ChangeExitCriteria(esc.id, done=(1,)), now=now, by=engineer.email)
    agenda = ask(uow, triage.triage_agenda, TriageAgenda(), now=now)
    assert agenda.held
    assert [i.request.id for i in agenda.requests] == [high.id, low.id]
    first = agenda.requests[0]
    assert first.score.total == sum(p.points for p in first.score.parts)
    assert [i.flagged for i in agenda.requests] == [False, True]  # REQ low missed Friday's
    [reviewed] = agenda.escalations
    p = reviewed.progress
    assert (p.id, p.criteria_done, p.criteria_total, p.days_open) == (esc.id, 1, 3, 4)
    assert p.eta is not None and not p.eta_missed
    assert agenda.minutes == 2 * 10 + 5


def test_without_pending_requests_the_meeting_is_skipped_even_with_escalations_open(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    open_escalation(uow, now=now)
    agenda = ask(uow, triage.triage_agenda, TriageAgenda(), now=now)
    assert not agenda.held and agenda.requests == () and agenda.escalations == ()
