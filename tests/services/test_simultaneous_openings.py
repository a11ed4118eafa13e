"""Two openings for one customer at once: the "already open" check holds under the race.

Each opening checks that the customer has no open escalation, then inserts its own. The race
is between the two: both check before either commits. A hook right after the check makes each
opening wait (a short while) for the other to have checked too, so without the account held
across the check both would find none open and both would insert. Runs on SQLite and, with
ESCDESK_TEST_DATABASE_URL set, on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from escdesk.domain.errors import AlreadyOpen
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations, OpenEscalation
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

OTHER_CHECK_WAIT = 2.0
"""How long an opening that has checked waits for the other to check as well: long enough
for both to get there when nothing holds the second back, short enough to keep the test fast
when something (the held account) rightly does."""


def test_two_openings_at_once_leave_one_escalation_and_refuse_the_other(
    engine: Engine, now: datetime, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup = SqlUnitOfWork(engine)
    account = factories.add_account(setup, now=now)
    engineer = factories.add_person(setup, "support", now=now)
    both_checked = threading.Barrier(2)
    check: Callable[..., None] = service._refuse_a_second_one

    def check_then_wait_for_the_other(*args: Any) -> None:
        check(*args)
        try:  # where the race is: this one found none open and has not inserted yet
            both_checked.wait(timeout=OTHER_CHECK_WAIT)
        except threading.BrokenBarrierError:
            pass  # the other is held back before its check: as it should be

    monkeypatch.setattr(service, "_refuse_a_second_one", check_then_wait_for_the_other)
    opened: list[int] = []
    refused: list[AlreadyOpen] = []
    failures: list[BaseException] = []

    def open_one(summary: str) -> None:
        cmd = OpenEscalation.parse(
            account=account.name,
            kind="account_escalation",
            severity="medium",
            route="support",
            summary=summary,
            initial_ask="An engineer who reads production logs",
            required_skills=["PostgreSQL"],
        )
        try:
            esc = factories.act(SqlUnitOfWork(engine), cmd, now=now, by=engineer.email)
            opened.append(esc.id)
        except AlreadyOpen as refusal:
            refused.append(refusal)
        except BaseException as exc:  # noqa: BLE001 - reported below, not lost in a thread
            failures.append(exc)

    threads = [
        threading.Thread(target=open_one, args=(summary,))
        for summary in ("Checkout fails", "Checkout fails for everyone")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert len(opened) == 1 and len(refused) == 1, (opened, refused)
    assert refused[0].escalation_id == opened[0]
    listed = factories.ask(setup, service.list_escalations, ListEscalations.parse())
    assert [e.id for e in listed.items] == opened
