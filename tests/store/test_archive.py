"""R-OPS: the portable archive. A desk built on SQLite is backed up and restored into the
test's database (SQLite, and PostgreSQL when configured): every row of every table comes back
the same, new rows are numbered after the restored ones, and a refused restore writes nothing."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from escdesk.asgi import create_app
from escdesk.cli.demo_data import build
from escdesk.cli.demo_stories import STORIES
from escdesk.config import Settings
from escdesk.domain.errors import InvalidInput, StateRefused
from escdesk.domain.severity import DEFAULT_POLICY
from escdesk.http.deps import get_now
from escdesk.http.security import SESSION_COOKIE
from escdesk.services import auth
from escdesk.services.runner import Runner
from escdesk.store.archive import back_up, restore, tables
from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.api.access import open_session
from tests.web.pages import text_of


def everything(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key))]
            for t in tables()
        }


def rewrite(source: Path, target: Path, member: str, change: Callable[[bytes], bytes]) -> None:
    """A copy of the archive at `source` with one member changed: a damaged or foreign file."""
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(target, "w") as copy:
        for item in original.namelist():
            data = original.read(item)
            copy.writestr(item, change(data) if item == member else data)


@pytest.fixture
def sqlite_desk(tmp_path: Path, now: datetime) -> Engine:
    """The demo desk on a SQLite file of its own: people, accounts, escalations, the trail."""
    engine = make_engine(f"sqlite:///{tmp_path / 'source.db'}")
    upgrade(engine)
    uow = SqlUnitOfWork(engine)
    build(Runner(lambda: uow, lambda: now, DEFAULT_POLICY), STORIES, now=now)
    return engine


def test_a_sqlite_desk_restored_into_an_empty_database_holds_every_row_again(
    sqlite_desk: Engine, engine: Engine, tmp_path: Path, now: datetime
) -> None:
    archive = tmp_path / "desk.zip"
    written = back_up(sqlite_desk, archive)
    assert written.rows["escalations"] >= 5 and written.rows["events"] > 50

    restored = restore(engine, archive)

    assert restored.rows == written.rows
    assert everything(engine) == everything(sqlite_desk)
    highest = max(r[0] for r in everything(engine)["escalations"])
    fresh = factories.open_escalation(SqlUnitOfWork(engine), now=now)
    assert fresh.id == highest + 1  # PostgreSQL's sequences moved past the restored ids


def test_a_restore_into_a_database_with_data_is_refused_and_writes_nothing(
    sqlite_desk: Engine, engine: Engine, tmp_path: Path, now: datetime
) -> None:
    back_up(sqlite_desk, tmp_path / "desk.zip")
    factories.add_account(SqlUnitOfWork(engine), now=now)
    before = everything(engine)
    with pytest.raises(StateRefused, match="already holds data"):
        restore(engine, tmp_path / "desk.zip")
    assert everything(engine) == before


def test_a_damaged_archive_restores_nothing(
    sqlite_desk: Engine, engine: Engine, tmp_path: Path
) -> None:
    good, damaged = tmp_path / "desk.zip", tmp_path / "damaged.zip"
    back_up(sqlite_desk, good)

    def lose_the_last_rows(data: bytes) -> bytes:
        return b"\n".join(data.splitlines()[:-3]) + b"\n"

    rewrite(good, damaged, "tables/events.jsonl", lose_the_last_rows)
    with pytest.raises(StateRefused, match="events"):
        restore(engine, damaged)
    assert all(rows == [] for rows in everything(engine).values())


def test_an_archive_of_another_schema_revision_is_refused_naming_both(
    sqlite_desk: Engine, engine: Engine, tmp_path: Path
) -> None:
    archive, older = tmp_path / "desk.zip", tmp_path / "older.zip"
    back_up(sqlite_desk, archive)
    rewrite(archive, older, "manifest.json",
            lambda data: json.dumps({**json.loads(data), "revision": "0001"}).encode())  # fmt: skip
    with pytest.raises(StateRefused, match="revision 0001"):
        restore(engine, older)


def test_what_is_not_an_archive_is_bad_input(engine: Engine, tmp_path: Path) -> None:
    other = tmp_path / "notes.zip"
    other.write_text("not a zip")
    with pytest.raises(InvalidInput, match="not an escdesk archive"):
        restore(engine, other)
    with pytest.raises(InvalidInput, match="does not exist"):
        restore(engine, tmp_path / "missing.zip")


def test_a_backup_never_overwrites_a_file(sqlite_desk: Engine, tmp_path: Path) -> None:
    taken = tmp_path / "desk.zip"
    taken.write_text("keep me")
    with pytest.raises(InvalidInput, match="already exists"):
        back_up(sqlite_desk, taken)
    assert taken.read_text() == "keep me"


def test_the_restore_drill_every_page_and_api_answer_is_the_same(
    sqlite_desk: Engine, engine: Engine, database_url: str, tmp_path: Path, now: datetime
) -> None:
    """Backed up with a signed-in manager and a token in it, restored: the two desks answer
    every read of the API and every escalation page alike."""
    source = SqlUnitOfWork(sqlite_desk)
    manager = factories.add_person(source, "manager", "support", now=now, name="Drill Manager")
    cookie = open_session(source, manager, now)
    token, _ = auth.create_token(source, "drill", "manager", now)
    back_up(sqlite_desk, tmp_path / "desk.zip")
    restore(engine, tmp_path / "desk.zip")
    ids = [row[0] for row in everything(engine)["escalations"]]
    api = ["/api/escalations?limit=100", "/api/accounts", "/api/people", "/api/metrics"]
    api += [f"/api/escalations/{i}{tail}" for i in ids for tail in ("", "/history")]
    pages = ["/", "/escalations", "/accounts", *(f"/escalations/{i}" for i in ids)]
    answers = []
    for url, store in (
        (f"sqlite:///{tmp_path / 'source.db'}", sqlite_desk),
        (database_url, engine),
    ):
        settings = Settings(database_url=url, base_url="http://desk", index_dir=tmp_path / url[:6])
        app = create_app(settings, store)
        app.dependency_overrides[get_now] = lambda: now
        with TestClient(app, raise_server_exceptions=False) as client:
            client.cookies.set(SESSION_COOKIE, cookie)
            bearer = {"Authorization": f"Bearer {token}"}
            found = {u: client.get(u, headers=bearer).json() for u in api}
            found |= {u: text_of(client.get(u).text) for u in pages}
        answers.append(found)
    assert all(isinstance(v, dict | list) for u, v in answers[0].items() if u in api)
    assert "Drill Manager" in answers[0]["/"]
    assert answers[1] == answers[0]
