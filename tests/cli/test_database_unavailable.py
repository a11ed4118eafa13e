"""A database that cannot be reached is one line naming it (never its password), exit 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from escdesk.cli.app import app
from tests.store.peers import closed_port


@pytest.mark.parametrize("command", [["escalations", "list"], ["db", "upgrade"], ["serve"]])
def test_an_unreachable_database_is_named_in_one_line_without_its_password(
    command: list[str],
) -> None:
    port = closed_port()
    url = f"postgresql+psycopg://escdesk:s3cret-pw@127.0.0.1:{port}/desk"

    result = CliRunner().invoke(app, ["--database-url", url, *command])

    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(
        f"error: the database postgresql+psycopg://escdesk@127.0.0.1:{port}/desk is unavailable"
    )
    assert "refused" in lines[0].lower()
    assert "s3cret-pw" not in result.output


@pytest.mark.parametrize("command", [["escalations", "list"], ["db", "upgrade"]])
def test_a_sqlite_url_into_a_missing_folder_is_bad_input_and_makes_no_desk(
    command: list[str], tmp_path: Path
) -> None:
    typo = tmp_path / "no-such-folder" / "escdesk.db"

    result = CliRunner().invoke(app, ["--database-url", f"sqlite:///{typo}", *command])

    assert result.exit_code == 2, result.output
    assert result.stderr.strip().splitlines() == [
        f"error: database_url: the folder {typo.parent} does not exist. "
        "Check the path for a typo, or create the folder first"
    ]
    assert not typo.parent.exists()
