"""A writer who loaded version v and saves after another committed v+1 gets a Conflict.

Two units of work on one engine, driven in order by the test: A loads; B loads, changes and
commits; A changes and saves what it loaded. A must be told the current version, and nothing of
A may reach the database — no field, child row, audit event or outbox row. Runs on SQLite and,
with ESCDESK_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine

from escdesk.domain.accounts import Sentiment
from escdesk.domain.audit import replay
from escdesk.domain.clock import Audience
from escdesk.domain.errors import Conflict
from escdesk.domain.events import Event
from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import escalations as service
from escdesk.services import recurring
from escdesk.services.escalation_commands import (
    ChangeExitCriteria,
    CloseEscalation,
    PostUpdate,
    SetEta,
    ShowEscalation,
    agreement_from,
)
from escdesk.services.recurring_changes import RenameIssue
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import add_account, open_escalation
from tests.store.contents import database_contents


def test_a_stale_escalation_change_is_a_conflict_and_writes_nothing(
    engine: Engine, now: datetime, policy: SeverityPolicy
) -> None:
    esc = open_escalation(SqlUnitOfWork(engine), now=now)
    assert esc.id is not None
    later = now + timedelta(hours=1)
    a = SqlUnitOfWork(engine)
    with a:
        stale = a.escalations.get(esc.id)
        won = factories.act(
            SqlUnitOfWork(engine), SetEta(esc.id, now + timedelta(days=3), "B's plan"), now=later
        )
        after_b = database_contents(engine)
        stale.post_update(Audience.INTERNAL, "A's note", by_id=None, now=later, policy=policy)
        stale.add_exit_criterion("A's criterion", by_id=None, now=later)
        stale.set_eta(now + timedelta(days=9), reason="A's plan", by_id=None, now=later)
        with pytest.raises(Conflict) as conflict:
            a.commit()

    assert conflict.value.current_version == won.version == esc.version + 1
    assert database_contents(engine) == after_b
    stored = factories.ask(
        SqlUnitOfWork(engine), service.show_escalation, ShowEscalation(esc.id)
    ).escalation
    assert stored.eta == now + timedelta(days=3)
    assert [c.reason for c in stored.eta_changes][-1] == "B's plan"


def test_a_change_of_child_rows_alone_still_claims_the_version(
    engine: Engine, now: datetime
) -> None:
    """Marking a criterion done at the moment of the last change alters no escalation column;
    the version must move all the same, or the stale writer would not be caught."""
    esc = open_escalation(SqlUnitOfWork(engine), now=now)
    assert esc.id is not None
    a = SqlUnitOfWork(engine)
    with a:
        stale = a.escalations.get(esc.id)
        won = factories.act(SqlUnitOfWork(engine), ChangeExitCriteria(esc.id, done=(1,)), now=now)
        after_b = database_contents(engine)
        stale.add_exit_criterion("A's criterion", by_id=None, now=now)
        with pytest.raises(Conflict) as conflict:
            a.commit()

    assert won.version == esc.version + 1
    assert conflict.value.current_version == won.version
    assert database_contents(engine) == after_b


def test_a_stale_update_never_undoes_a_close(
    engine: Engine, now: datetime, policy: SeverityPolicy
) -> None:
    esc = open_escalation(SqlUnitOfWork(engine), now=now)
    assert esc.id is not None
    later = now + timedelta(days=2)
    a = SqlUnitOfWork(engine)
    with a:
        stale = a.escalations.get(esc.id)
        factories.act(
            SqlUnitOfWork(engine),
            CloseEscalation(
                esc.id,
                agreement_from("Dana at the customer", later, "email"),
                waivers=factories.WAIVED,
            ),
            now=later,
        )
        after_b = database_contents(engine)
        stale.post_update(Audience.INTERNAL, "still on it", by_id=None, now=later, policy=policy)
        stale.move_to_monitoring(note="A thinks it is fixed", by_id=None, now=later)
        with pytest.raises(Conflict):
            a.commit()

    assert database_contents(engine) == after_b
    uow = SqlUnitOfWork(engine)
    stored = factories.ask(uow, service.show_escalation, ShowEscalation(esc.id)).escalation
    with uow:
        trail = replay(uow.escalations.events(esc.id))
    assert stored.status.value == trail.status == "closed"


def test_a_stale_account_change_is_a_conflict_and_writes_nothing(
    engine: Engine, now: datetime
) -> None:
    account = add_account(SqlUnitOfWork(engine), now=now)
    assert account.id is not None
    a = SqlUnitOfWork(engine)
    with a:
        stale = a.accounts.get(account.id)
        b = SqlUnitOfWork(engine)
        with b:
            mine = b.accounts.get(account.id)
            mine.set_sentiment(Sentiment.AT_RISK, by_id=None, at=now)
            b.accounts.record(mine, Event("sentiment_set", now, None, {"by": "B"}))
            b.commit()
        after_b = database_contents(engine)
        stale.set_sentiment(Sentiment.YELLOW, by_id=None, at=now)
        a.accounts.record(stale, Event("sentiment_set", now, None, {"by": "A"}))
        with pytest.raises(Conflict) as conflict:
            a.commit()

    assert conflict.value.current_version == mine.version == account.version + 1
    assert database_contents(engine) == after_b


def test_a_stale_recurring_issue_change_is_a_conflict_and_writes_nothing(
    engine: Engine, now: datetime
) -> None:
    esc = open_escalation(SqlUnitOfWork(engine), now=now)
    assert esc.id is not None
    setup = SqlUnitOfWork(engine)
    with setup:
        issue = RecurringIssue(label="LDAP sync times out", created_at=now)
        setup.recurring.add(issue)
        setup.commit()
    assert issue.id is not None
    a = SqlUnitOfWork(engine)
    with a:
        stale = a.recurring.get(issue.id)
        rename = RenameIssue(issue.id, "B's name", issue.version)
        won = factories.act(SqlUnitOfWork(engine), rename, now=now)
        after_b = database_contents(engine)
        stale.link_escalation(esc.id, by_id=None, now=now)
        stale.record_fix(reference="A's fix", release=None, fixed_at=now, by_id=None, now=now)
        with pytest.raises(Conflict) as conflict:
            a.commit()

    assert conflict.value.current_version == won.version == issue.version + 1
    assert database_contents(engine) == after_b
    shown = recurring.show_issue(SqlUnitOfWork(engine), issue.id, now=now).ranked.issue
    assert (shown.label, shown.status, shown.escalation_ids) == (
        "B's name",
        IssueStatus.CANDIDATE,
        set(),
    )


def test_an_issue_change_without_a_column_change_still_claims_the_version(
    engine: Engine, now: datetime
) -> None:
    """Splitting records an event on the old issue and changes none of its columns."""
    setup = SqlUnitOfWork(engine)
    with setup:
        issue = RecurringIssue(label="VAT rounding", created_at=now)
        setup.recurring.add(issue)
        setup.commit()
    assert issue.id is not None
    uow = SqlUnitOfWork(engine)
    with uow:
        loaded = uow.recurring.get(issue.id)
        part = RecurringIssue(label="VAT on credit notes", created_at=now)
        uow.recurring.add(part)
        loaded.split_off(part, 0, by_id=None, now=now)
        uow.commit()
    assert loaded.version == issue.version + 1


def test_an_edit_of_a_stale_version_is_refused_naming_the_current_version(
    uow: SqlUnitOfWork, now: datetime, policy: SeverityPolicy
) -> None:
    esc = open_escalation(uow, now=now)
    assert esc.id is not None
    factories.act(
        uow,
        PostUpdate(esc.id, Audience("internal"), "first", version=esc.version),
        now=now,
        policy=policy,
    )
    with pytest.raises(Conflict) as conflict:
        factories.act(
            uow,
            PostUpdate(esc.id, Audience("internal"), "second", version=esc.version),
            now=now,
            policy=policy,
        )
    assert conflict.value.current_version == esc.version + 1
