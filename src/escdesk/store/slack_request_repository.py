"""The Slack requests heard within Slack's five-minute window (`chat.signing.HeardRequests`).

A unique insert decides who heard a signature first, on SQLite and PostgreSQL alike, so two
processes given the same replayed request accept it once. Rows past the window are purged by
the next hearing: the table holds a few minutes of traffic.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import sessionmaker

from escdesk.store.tables import HeardSlackRequestRow

log = logging.getLogger("escdesk.store")


def _utc_now() -> datetime:
    return datetime.now(UTC)


class HeardSlackRequests:
    def __init__(self, engine: Engine, clock: Callable[[], datetime] = _utc_now) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._clock = clock

    def first_hearing(self, signature: str, stamp: int, oldest: int) -> bool:
        try:
            with self._sessions.begin() as s:
                s.add(
                    HeardSlackRequestRow(signature=signature, stamp=stamp, heard_at=self._clock())
                )
        except IntegrityError:
            return False
        self._forget_before(oldest)
        return True

    def _forget_before(self, oldest: int) -> None:
        """Purge what the window refuses anyway; a purge that loses a race is left for later."""
        try:
            with self._sessions.begin() as s:
                s.execute(delete(HeardSlackRequestRow).where(HeardSlackRequestRow.stamp < oldest))
        except OperationalError as exc:  # a lock held by another process's purge
            log.info("the heard Slack requests were not purged this time: %s", exc)
