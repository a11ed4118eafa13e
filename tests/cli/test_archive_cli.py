"""`escdesk backup` and `escdesk restore` on the command line: the desk moves to a new store
whole, and a second restore into it is refused with nothing written."""

from __future__ import annotations

from pathlib import Path

from tests.cli.conftest import Cli, Desk


def test_backup_then_restore_into_a_new_sqlite_file_moves_the_whole_desk(
    cli: Cli, desk: Desk, tmp_path: Path
) -> None:
    archive = tmp_path / "desk.zip"
    backed = cli.ok("backup", str(archive))
    assert "backed up to" in backed.stdout and archive.is_file()
    moved = Cli(f"sqlite:///{tmp_path / 'moved.db'}")

    restored = moved.ok("restore", str(archive))

    assert "restored into" in restored.stdout
    for query in (("escalations", "list", "--all"), ("people", "list"), ("accounts", "list")):
        assert moved.json(*query) == cli.json(*query)
    assert moved.json("escalations", "history", str(desk.closed)) == cli.json(
        "escalations", "history", str(desk.closed)
    )
    again = moved("restore", str(archive))
    assert again.exit_code == 1
    assert "already holds data" in again.stderr and "Traceback" not in again.output


def test_a_backup_onto_an_existing_file_is_bad_input(cli: Cli, desk: Desk, tmp_path: Path) -> None:
    taken = tmp_path / "taken.zip"
    taken.write_text("keep")
    result = cli("backup", str(taken))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: path:") and taken.read_text() == "keep"
