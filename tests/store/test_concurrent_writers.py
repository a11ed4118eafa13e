"""Twenty writers at once, each posting a change with the version it read, burst after burst.

Every writer of a burst reads before any of them writes (a barrier), so all of them hold the
same version: exactly one may succeed, and every change it acknowledged must be in the final
state, which replaying the audit trail must give again. Runs on SQLite and, with
ESCDESK_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from escdesk.domain.audit import replay
from escdesk.domain.clock import Audience
from escdesk.domain.errors import Conflict
from escdesk.domain.recurring_issue import RecurringIssue
from escdesk.domain.severity import SeverityPolicy
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import PostUpdate, SetEta, ShowEscalation
from escdesk.services.recurring_changes import RenameIssue
from escdesk.store.tables import OutboxRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import open_escalation

WRITERS, BURSTS = 20, 4


@dataclass(frozen=True)
class Outcome:
    writer: int
    read_version: int
    new_version: int | None  # None: refused with a Conflict


Change = Callable[[SqlUnitOfWork, int, int], int]
"""(unit of work, writer, version read) → the version the accepted change produced."""


def run_burst(
    engine: Engine, read: Callable[[SqlUnitOfWork], int], change: Change
) -> list[Outcome]:
    """Each writer reads the version, waits until all have read, then posts its change."""
    everyone_read = threading.Barrier(WRITERS)
    outcomes: list[Outcome] = []
    failures: list[BaseException] = []

    def writer(number: int) -> None:
        try:
            version = read(SqlUnitOfWork(engine))
            everyone_read.wait(timeout=60)
            try:
                outcomes.append(
                    Outcome(number, version, change(SqlUnitOfWork(engine), number, version))
                )
            except Conflict:
                outcomes.append(Outcome(number, version, None))
        except BaseException as exc:  # reported by the test, not lost in a thread
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert len(outcomes) == WRITERS
    return outcomes


def assert_one_success_per_version(bursts: list[list[Outcome]], first_version: int) -> None:
    for number, outcomes in enumerate(bursts):
        version = first_version + number
        assert {o.read_version for o in outcomes} == {version}
        won = [o for o in outcomes if o.new_version is not None]
        assert [o.new_version for o in won] == [version + 1], f"burst {number}: {won}"


def test_twenty_editors_of_one_escalation_lose_no_acknowledged_change(
    engine: Engine, now: datetime, policy: SeverityPolicy
) -> None:
    esc = open_escalation(SqlUnitOfWork(engine), now=now)
    assert esc.id is not None
    key = esc.id

    def read(uow: SqlUnitOfWork) -> int:
        with uow:
            return uow.escalations.get(key).version

    def change_for(burst: int) -> Change:
        at = now + timedelta(hours=burst)

        def change(uow: SqlUnitOfWork, writer: int, version: int) -> int:
            name = f"burst {burst} writer {writer}"
            if writer % 2:
                eta = at + timedelta(days=1, minutes=writer)
                return factories.act(uow, SetEta(key, eta, name, version=version), now=at).version
            audience = "internal" if writer % 4 == 0 else "customer"
            return factories.act(
                uow,
                PostUpdate(key, Audience(audience), name, version=version),
                now=at,
                policy=policy,
            ).version

        return change

    bursts = [run_burst(engine, read, change_for(b)) for b in range(BURSTS)]

    assert_one_success_per_version(bursts, esc.version)
    winners = [(b, o.writer) for b, burst in enumerate(bursts) for o in burst if o.new_version]
    names = {f"burst {b} writer {w}" for b, w in winners}
    uow = SqlUnitOfWork(engine)
    stored = factories.ask(uow, service.show_escalation, ShowEscalation(key)).escalation
    assert stored.version == esc.version + BURSTS
    posted = {u.body for u in stored.updates}
    planned = {c.reason for c in stored.eta_changes} - {"initial ETA"}
    assert posted | planned == names, "every acknowledged change, and nothing else"
    with uow:
        trail = replay(uow.escalations.events(key))
    assert trail.updates == len(stored.updates)
    assert trail.eta == (stored.eta.isoformat() if stored.eta else None)
    assert trail.status == stored.status.value
    internal = sum(1 for b, w in winners if w % 4 == 0)
    with engine.connect() as connection:
        announced = connection.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(OutboxRow.payload["template"].as_string() == "update")
        )
    assert announced == internal, "one outbox message per acknowledged internal update"


def test_twenty_editors_of_one_recurring_issue_lose_no_acknowledged_rename(
    engine: Engine, now: datetime
) -> None:
    uow = SqlUnitOfWork(engine)
    with uow:
        issue = RecurringIssue(label="LDAP sync times out", created_at=now)
        uow.recurring.add(issue)
        uow.commit()
    assert issue.id is not None
    key = issue.id

    def read(uow: SqlUnitOfWork) -> int:
        with uow:
            return uow.recurring.get(key).version

    def change_for(burst: int) -> Change:
        def change(uow: SqlUnitOfWork, writer: int, version: int) -> int:
            label = f"burst {burst} writer {writer}"
            cmd = RenameIssue(key, label, version)
            return int(factories.act(uow, cmd, now=now).version)

        return change

    bursts = [run_burst(engine, read, change_for(b)) for b in range(BURSTS)]

    assert_one_success_per_version(bursts, issue.version)
    winners = [
        f"burst {b} writer {o.writer}"
        for b, burst in enumerate(bursts)
        for o in burst
        if o.new_version
    ]
    uow = SqlUnitOfWork(engine)
    with uow:
        stored = uow.recurring.get(key)
        renames = [e.data["to"] for e in uow.recurring.events(key) if e.type == "issue_renamed"]
    assert renames == winners, "the trail holds every acknowledged rename, in order"
    assert stored.label == winners[-1]
    assert stored.version == issue.version + BURSTS
