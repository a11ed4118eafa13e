"""Two people adding the same e-mail address or account name at once: one wins, the other is
told the name is taken, as if they had come second, never an internal error.

B checks that the name is free; A adds it and commits right then (the test runs A from B's
flush hook, so the interleaving is exact); B's insert must end in the same clear refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, event

from escdesk.domain.accounts import Account, AccountStatus, Tier
from escdesk.domain.errors import InvalidInput
from escdesk.domain.people import Person, Role
from escdesk.store.uow import SqlUnitOfWork

Add = Callable[[SqlUnitOfWork], None]


def add_person(uow: SqlUnitOfWork) -> None:
    uow.people.add(Person.create("Robin", "robin@example.com", frozenset({Role.SUPPORT}), "UTC"))


def add_account(uow: SqlUnitOfWork) -> None:
    uow.accounts.add(Account.create("Acme Corp", Tier.ENTERPRISE, 1000, AccountStatus.PAYING))


@pytest.mark.parametrize(("add", "field"), [(add_person, "email"), (add_account, "name")])
def test_the_second_of_two_concurrent_adds_is_refused_naming_the_field(
    engine: Engine, add: Add, field: str
) -> None:
    def a_commits_first(*_: Any) -> None:
        with SqlUnitOfWork(engine) as a:
            add(a)
            a.commit()

    b = SqlUnitOfWork(engine)
    with pytest.raises(InvalidInput) as refused, b:
        event.listen(b.session, "before_flush", a_commits_first, once=True)
        add(b)

    assert refused.value.field == field
    assert "already" in refused.value.problem
    with SqlUnitOfWork(engine) as check:
        assert len(check.people.list()) + len(check.accounts.list()) == 1
