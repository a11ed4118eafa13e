"""A database that cannot be reached is one line naming it (never its password), exit 1."""

from __future__ import annotations

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
