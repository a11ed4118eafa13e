"""The README's "first escalation, end to end" works when pasted: each line run by bash, as a
reader would, on a new desk; only the line that says it is refused is refused."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).parents[2] / "README.md"


def walkthrough() -> list[str]:
    text = README.read_text(encoding="utf-8")
    block = text.split("A first escalation, end to end:", 1)[1].split("```", 2)[1]
    joined = re.sub(r"\\\n\s*", "", block)  # continuation lines, as the shell joins them
    return [line for line in joined.splitlines() if line.strip()]


def test_the_first_escalation_of_the_readme_runs_as_written(tmp_path: Path) -> None:
    bin_dir = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "ESCDESK_DATABASE_URL": f"sqlite:///{tmp_path / 'escdesk.db'}",
    }
    lines = walkthrough()
    assert len(lines) >= 10
    # One bash, as a terminal would be (the `export` carries over); each line reports its exit.
    script = "\n".join(f'{line}\necho "@@ {n} $?"' for n, line in enumerate(lines))
    ran = subprocess.run(
        ["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    found = re.findall(r"^@@ (\d+) (\d+)$", ran.stdout, re.M)
    codes = {int(n): int(code) for n, code in found}
    for n, line in enumerate(lines):
        expected = 1 if "# refused" in line else 0
        assert codes.get(n) == expected, f"{line}: exit {codes.get(n)}\n{ran.stdout}{ran.stderr}"
    assert "Traceback" not in ran.stderr
    shown = subprocess.run(
        ["escdesk", "escalations", "show", "1", "--json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    escalation = json.loads(shown.stdout)
    assert escalation["status"] == "closed"
    assert {u["author"]["name"] for u in escalation["updates"]} == {"Sam Okafor"}
