"""Whether this process should be sent traffic (`/readyz`): three checks, each with a reason.

Alive (`/healthz`) asks nothing of the database — a restart would not fix a database outage,
so an orchestrator must not restart the app for one. Ready asks what traffic needs: the
database answers, its schema is the revision this escdesk was built for (a rolling upgrade
whose `escdesk db upgrade` has not run yet is not ready), and a delivery worker wrote its
heartbeat recently, since without one nothing a change queues is ever sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import Engine, text

from escdesk.store.migrate import current_revision, head_revision
from escdesk.store.ops_repository import latest_beat


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


@cache
def _head() -> str | None:
    return head_revision()  # the scripts shipped with this process never change under it


def readiness(engine: Engine, now: datetime, worker_max_age: float) -> list[Check]:
    """The checks in order; a later one is skipped (not ok) when the database did not answer."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        current = current_revision(engine)
    except Exception as exc:  # what went wrong is in the log; the probe says only that
        reason = f"the database did not answer ({type(exc).__name__})"
        return [
            Check("database", False, reason),
            Check("migrations", False, "not checked: no database"),
            Check("worker", False, "not checked: no database"),
        ]
    checks = [Check("database", True, "answered")]
    head = _head()
    if current == head:
        checks.append(Check("migrations", True, f"at revision {head}"))
    else:
        checks.append(
            Check(
                "migrations",
                False,
                f"the database is at revision {current or 'none'}, this escdesk needs {head}: "
                "run `escdesk db upgrade`",
            )
        )
    checks.append(_worker(engine, now, worker_max_age))
    return checks


def _worker(engine: Engine, now: datetime, max_age: float) -> Check:
    if max_age == 0:
        return Check("worker", True, "not checked (ready_worker_seconds is 0)")
    try:
        beat = latest_beat(engine)
    except Exception as exc:  # an older schema without the table: the migration check says why
        return Check("worker", False, f"heartbeats unreadable ({type(exc).__name__})")
    if beat is None:
        return Check("worker", False, "no delivery worker has run: start `escdesk worker`")
    age = now - beat
    if age > timedelta(seconds=max_age):
        return Check(
            "worker",
            False,
            f"no worker heartbeat for {int(age.total_seconds())} s "
            f"(more than {max_age:g} s): is `escdesk worker` running?",
        )
    return Check("worker", True, f"heartbeat {max(0, int(age.total_seconds()))} s ago")
