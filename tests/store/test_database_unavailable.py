"""R-OPS-4: a database that is down, frozen, slow or busy is one clear error, never a hang.

Each case reaches the database the way the desk does (a unit of work running a use case) and
must end in `DatabaseUnavailable` naming the database without its password; afterwards the
same engine works again by itself.
"""

from __future__ import annotations

import shutil
import threading
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from escdesk.domain.errors import DatabaseUnavailable, EscdeskError
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations
from escdesk.store.database import DatabaseLimits, make_engine
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import add_person
from tests.store.peers import closed_port, silent_server


def test_a_database_nobody_listens_for_is_unavailable_named_without_its_password() -> None:
    port = closed_port()
    engine = make_engine(f"postgresql+psycopg://escdesk:s3cret-pw@127.0.0.1:{port}/desk")

    with pytest.raises(DatabaseUnavailable) as error:
        factories.ask(
            SqlUnitOfWork(engine),
            service.list_escalations,
            ListEscalations.parse(severity=None, status=None),
        )

    assert isinstance(error.value, EscdeskError)
    assert error.value.code == "database_unavailable"
    assert error.value.database == f"postgresql+psycopg://escdesk@127.0.0.1:{port}/desk"
    assert f"127.0.0.1:{port}/desk" in error.value.message
    assert "s3cret-pw" not in str(error.value)
    assert "refused" in error.value.reason.lower()


def test_a_server_that_never_answers_is_unavailable_after_the_connect_timeout() -> None:
    """Without the timeout the driver waits 130 s; the thread is given three times ours."""
    limits = DatabaseLimits(connect_timeout=2)
    raised: list[BaseException] = []

    with silent_server() as port:
        engine = make_engine(f"postgresql+psycopg://escdesk@127.0.0.1:{port}/desk", limits)

        def connect() -> None:
            try:
                factories.ask(
                    SqlUnitOfWork(engine),
                    service.list_escalations,
                    ListEscalations.parse(severity=None, status=None),
                )
            except BaseException as exc:
                raised.append(exc)

        attempt = threading.Thread(target=connect, daemon=True)
        attempt.start()
        attempt.join(timeout=3 * limits.connect_timeout)
        assert not attempt.is_alive(), "the connect timeout did not end the wait"

    assert len(raised) == 1 and isinstance(raised[0], DatabaseUnavailable), raised
    assert "timeout" in raised[0].reason.lower()


@pytest.mark.postgresql
def test_a_statement_beyond_the_statement_timeout_is_cancelled_and_the_engine_recovers(
    postgresql_url: str,
) -> None:
    engine = make_engine(postgresql_url, DatabaseLimits(statement_timeout=0.05))
    uow = SqlUnitOfWork(engine)

    with pytest.raises(DatabaseUnavailable) as error, uow:
        uow.session.execute(text("SELECT pg_sleep(5)"))

    assert "statement timeout" in error.value.reason
    with uow:
        assert uow.session.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


@pytest.mark.postgresql
def test_a_pool_with_no_free_connection_is_unavailable_after_the_pool_timeout(
    postgresql_url: str,
) -> None:
    engine = make_engine(postgresql_url, DatabaseLimits(pool_size=1, pool_timeout=0.1))
    with engine.connect() as held:
        held.execute(text("SELECT 1"))
        with pytest.raises(DatabaseUnavailable) as error:
            factories.ask(
                SqlUnitOfWork(engine),
                service.list_escalations,
                ListEscalations.parse(severity=None, status=None),
            )

    assert "no connection of the pool was free" in error.value.reason
    assert (
        factories.ask(
            SqlUnitOfWork(engine),
            service.list_escalations,
            ListEscalations.parse(severity=None, status=None),
        ).total
        == 0
    )
    engine.dispose()


def test_a_write_that_waits_too_long_for_another_sqlite_writer_is_unavailable(
    sqlite_template: Path, tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "busy.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}", DatabaseLimits(busy_timeout=0.05))
    other = make_engine(f"sqlite:///{path}")
    with other.connect() as writer:
        writer.exec_driver_sql("BEGIN IMMEDIATE")  # holds the write lock
        with pytest.raises(DatabaseUnavailable) as error:
            add_person(SqlUnitOfWork(engine), "support", now=now)
        writer.exec_driver_sql("ROLLBACK")

    assert "locked" in error.value.reason
    assert str(path) in error.value.database
    assert add_person(SqlUnitOfWork(engine), "support", now=now).id is not None
    engine.dispose()
    other.dispose()
