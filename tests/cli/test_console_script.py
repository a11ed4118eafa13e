"""The installed `escdesk` console script, run as a real process, as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.cli.conftest import Cli


def escdesk(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    script = shutil.which("escdesk", path=str(Path(sys.executable).parent)) or "escdesk"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCDESK_")}
    env.update(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    return subprocess.run(
        [script, *args], cwd=home, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_console_script_writes_reads_and_fails_cleanly(
    database_url: str, private_environment: Path
) -> None:
    home, url = private_environment, database_url
    added = escdesk(home, "--database-url", url, "people", "add", "Amara Okafor",
                    "--email", "amara@example.com", "--role", "support")  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert "Added Amara Okafor <amara@example.com>" in added.stdout
    listed = Cli(url).json("people", "list")
    assert [p["name"] for p in listed["items"]] == ["Amara Okafor"]

    bad = escdesk(home, "--database-url", url, "people", "add", "Amara Again",
                  "--email", "amara@example.com", "--role", "support")  # fmt: skip
    assert bad.returncode == 2
    assert bad.stderr == (
        "error: email: amara@example.com is already taken. "
        "Use another address, or leave the person as they are\n"
    )
    assert "Traceback" not in bad.stdout + bad.stderr
