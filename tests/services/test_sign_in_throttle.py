"""R-OPS-2, sign-in throttling: wrong passwords in a row make each further attempt wait longer,
per account and per client address; a throttled attempt computes no password hash; the
person is told, and the trail records it (SQLite and, with ESCDESK_TEST_DATABASE_URL,
PostgreSQL)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from escdesk.domain.errors import InvalidInput, TooManyAttempts
from escdesk.domain.throttle import SignInThrottle
from escdesk.services import auth
from escdesk.store.tables import EventRow
from escdesk.store.uow import SqlUnitOfWork
from tests import factories

PASSWORD = "correct horse battery"


class CountingHasher(PasswordHasher):
    """Real argon2 at cheap parameters, counting every hash computed or checked."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.calls = 0

    def hash(self, password: str | bytes, *, salt: bytes | None = None) -> str:
        self.calls += 1
        return super().hash(password, salt=salt)

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:  # noqa: A002
        self.calls += 1
        return super().verify(hash, password)


@pytest.fixture
def hasher(monkeypatch: pytest.MonkeyPatch) -> CountingHasher:
    counting = CountingHasher()
    monkeypatch.setattr(auth, "PASSWORD_HASHER", counting)
    return counting


@pytest.fixture
def ada(uow: SqlUnitOfWork, now: datetime, hasher: CountingHasher) -> str:
    person = factories.add_person(uow, "support", now=now, name="Ada")
    auth.set_password(uow, person.email, PASSWORD, now)
    return person.email


def wrong(uow: SqlUnitOfWork, throttle: SignInThrottle, email: str, at: datetime, **kw: Any):
    with pytest.raises((InvalidInput, TooManyAttempts)) as refused:
        auth.sign_in(uow, email, "wrong password", at, throttle=throttle, **kw)
    return refused.value


def test_the_delays_grow_after_the_free_attempts_up_to_the_ceiling() -> None:
    throttle = SignInThrottle(free_attempts=5, max_delay=60)
    delays = [throttle.delay("account", n) for n in range(1, 14)]
    assert delays == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert throttle.delay("address", 19) == 0 and throttle.delay("address", 20) == 1


def test_a_throttled_attempt_is_refused_without_computing_a_hash(
    uow: SqlUnitOfWork, ada: str, now: datetime, hasher: CountingHasher
) -> None:
    throttle = SignInThrottle(free_attempts=3, max_delay=900)
    for n in range(3):
        assert isinstance(wrong(uow, throttle, ada, now + timedelta(seconds=n)), InvalidInput)
    before = hasher.calls

    paused = wrong(uow, throttle, ada, now + timedelta(seconds=2.5))
    with pytest.raises(TooManyAttempts):  # even the right password waits
        auth.sign_in(uow, ada, PASSWORD, now + timedelta(seconds=2.5), throttle=throttle)

    assert isinstance(paused, TooManyAttempts)
    assert paused.retry_after == 1
    assert "this account" in paused.message and "paused" in paused.message
    assert hasher.calls == before


def test_each_further_wrong_password_doubles_the_wait(
    uow: SqlUnitOfWork, ada: str, now: datetime
) -> None:
    throttle = SignInThrottle(free_attempts=2, max_delay=900)
    wrong(uow, throttle, ada, now)
    at, waits = now, []
    for _ in range(4):
        assert isinstance(wrong(uow, throttle, ada, at), InvalidInput)  # heard, and wrong
        probe = wrong(uow, throttle, ada, at)
        assert isinstance(probe, TooManyAttempts)
        waits.append(probe.retry_after)
        at += timedelta(seconds=probe.retry_after)
    assert waits == [1, 2, 4, 8]


def test_a_client_address_is_throttled_across_accounts(
    uow: SqlUnitOfWork, ada: str, now: datetime
) -> None:
    throttle = SignInThrottle(free_attempts=1, max_delay=900)  # the address gets 4
    for n in range(4):
        wrong(uow, throttle, f"nobody{n}@example.com", now, client="203.0.113.9")
    refused = wrong(uow, throttle, ada, now, client="203.0.113.9")
    assert isinstance(refused, TooManyAttempts)
    assert "network address" in refused.message
    # another address is heard
    assert isinstance(wrong(uow, throttle, ada, now, client="198.51.100.7"), InvalidInput)


def test_the_start_of_a_pause_is_in_the_persons_trail_and_told_at_the_next_sign_in(
    uow: SqlUnitOfWork, ada: str, now: datetime
) -> None:
    throttle = SignInThrottle(free_attempts=2, max_delay=900)
    wrong(uow, throttle, ada, now, client="203.0.113.9")
    wrong(uow, throttle, ada, now, client="203.0.113.9")

    with uow:
        rows = uow.session.scalars(
            select(EventRow).where(EventRow.type == "sign_in_throttled")
        ).all()
        assert [(row.subject, row.data["wrong_passwords"]) for row in rows] == [("person", 2)]
        assert rows[0].data["client"] == "203.0.113.9"

    signed = auth.sign_in(uow, ada, PASSWORD, now + timedelta(hours=1), throttle=throttle)
    assert signed.wrong_before == 2
    again = auth.sign_in(uow, ada, PASSWORD, now + timedelta(hours=1), throttle=throttle)
    assert again.wrong_before == 0
