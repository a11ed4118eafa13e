"""One index directory per database, whatever the spelling of its URL (the CLI and the web app
must find the same index, or the server rebuilds it on its first query)."""

from __future__ import annotations

from pathlib import Path

import pytest

from escdesk.similarity import index_directory
from escdesk.store.database import make_engine

POSTGRES_SPELLINGS = [
    "postgresql://postgres@127.0.0.1/test",
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg2://postgres@127.0.0.1/test",
    "postgresql+psycopg://postgres:secret@127.0.0.1/test",
    "postgresql://postgres:other-secret@127.0.0.1:5432/test?sslmode=prefer",
]


def test_every_spelling_of_one_postgresql_database_finds_one_index(tmp_path: Path) -> None:
    found = {index_directory(tmp_path, url) for url in POSTGRES_SPELLINGS}
    assert len(found) == 1


def test_the_url_the_server_reads_back_from_its_engine_finds_the_cli_s_index(
    tmp_path: Path,
) -> None:
    """The server derives the directory from `engine.url`, which names the driver."""
    cli = "postgresql://postgres:secret@127.0.0.1/test"
    served = make_engine(cli).url.render_as_string(hide_password=False)
    assert served != cli
    assert index_directory(tmp_path, served) == index_directory(tmp_path, cli)


@pytest.mark.parametrize(
    "other",
    [
        "postgresql://postgres@127.0.0.1/other",
        "postgresql://reporting@127.0.0.1/test",
        "postgresql://postgres@127.0.0.1:6543/test",
        "postgresql://postgres@127.0.0.1/test?options=-csearch_path%3Dtenant_b",
    ],
)
def test_another_database_user_port_or_schema_gets_its_own_index(
    tmp_path: Path, other: str
) -> None:
    assert index_directory(tmp_path, other) != index_directory(tmp_path, POSTGRES_SPELLINGS[0])


def test_a_sqlite_index_lives_beside_its_database_however_the_path_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    relative = index_directory(None, "sqlite:///data/escdesk.db")
    absolute = index_directory(None, f"sqlite:///{tmp_path}/data/escdesk.db")
    dotted = index_directory(None, f"sqlite:///{tmp_path}/data/../data/escdesk.db")
    assert relative == absolute == dotted
    assert relative.parent == tmp_path / "data" / "index"
