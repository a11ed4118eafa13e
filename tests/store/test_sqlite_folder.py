"""An explicit SQLite URL into a folder that does not exist is an error, not a new empty desk;
escdesk's own data folder is made when missing (the default desk lives there)."""

from __future__ import annotations

from pathlib import Path

import pytest

from escdesk.config import data_dir
from escdesk.domain.errors import InvalidInput
from escdesk.store.database import make_engine


def test_a_missing_folder_is_refused_naming_it_and_nothing_is_created(tmp_path: Path) -> None:
    typo = tmp_path / "desks-typo" / "escdesk.db"
    with pytest.raises(InvalidInput) as refused:
        make_engine(f"sqlite:///{typo}")
    assert refused.value.field == "database_url"
    assert str(typo.parent) in refused.value.problem
    assert not typo.parent.exists()


def test_an_existing_folder_takes_a_new_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'escdesk.db'}")
    with engine.connect():
        pass
    engine.dispose()
    assert (tmp_path / "escdesk.db").is_file()


def test_escdesks_own_data_folder_is_made_when_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    folder = data_dir()
    assert not folder.exists() and tmp_path in folder.parents
    engine = make_engine(f"sqlite:///{folder / 'escdesk.db'}")
    engine.dispose()
    assert folder.is_dir()
