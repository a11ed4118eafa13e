"""Time how fast `escdesk` starts: `--help` and `escalations list --json` on an empty desk.

Each command runs in a new process, N times, beside `python -c pass` on the same interpreter,
beside importing the three libraries a command that reads the desk cannot do without (the
SQLAlchemy ORM, Typer, pydantic-settings: the floor under any such command), and beside
importing the store with every table mapped (the ORM with all of escdesk's tables, as Alembic and
the web app load them; a command maps only the tables it reads). The script prints
the fastest and the median wall time, the median CPU time (user + system: steadier than wall
time when other work shares the cores) and the peak resident memory of a run (`ru_maxrss` of
that child alone, read with `os.wait4`: the RUSAGE_CHILDREN figure would be the largest of all
the runs so far). The desk is a new SQLite file, upgraded once beforehand.

Bytecode is cached as in an installed package: PYTHONDONTWRITEBYTECODE is dropped and the
untimed first run writes every module's bytecode under a temporary PYTHONPYCACHEPREFIX, so
nothing is written beside the sources. Pass `--escdesk PATH` more than once to time several
installations in the same run, their runs interleaved so a busy machine slows them alike:

    .venv/bin/python -m bench.cli_startup [--runs 20] [--escdesk PATH ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(sys.executable).parent / "escdesk"
COMMANDS = {
    "python -c pass": ["-c", "pass"],
    "python -c 'import <the libraries>'": ["-c", "import sqlalchemy.orm, typer, pydantic_settings"],
    "python -c 'import <every table>'": ["-c", "from escdesk.store.tables import Base"],
    "escdesk --help": ["--help"],
    "escdesk escalations list --json": ["escalations", "list", "--json"],
}
FLOOR = "python -c 'import <the libraries>'"
LIST = "escdesk escalations list --json"


@dataclass
class Install:
    escdesk: Path
    env: dict[str, str]
    seconds: dict[str, list[float]] = field(default_factory=dict)
    cpu: dict[str, list[float]] = field(default_factory=dict)
    rss_kib: dict[str, list[int]] = field(default_factory=dict)

    def argv(self, label: str) -> list[str]:
        if label.startswith("python"):
            return [str(self.escdesk.parent / "python"), *COMMANDS[label]]
        return [str(self.escdesk), *COMMANDS[label]]

    def run(self, label: str) -> None:
        """One run in a new process: its wall time and its own peak RSS."""
        with tempfile.TemporaryFile() as errors:
            started = time.perf_counter()
            child = subprocess.Popen(
                self.argv(label), env=self.env, stdout=subprocess.DEVNULL, stderr=errors
            )
            _, status, usage = os.wait4(child.pid, 0)
            elapsed = time.perf_counter() - started
            child.returncode = os.waitstatus_to_exitcode(status)
            if child.returncode != 0:
                errors.seek(0)
                raise SystemExit(f"{' '.join(self.argv(label))} failed: {errors.read().decode()}")
        self.seconds.setdefault(label, []).append(elapsed)
        self.cpu.setdefault(label, []).append(usage.ru_utime + usage.ru_stime)
        self.rss_kib.setdefault(label, []).append(usage.ru_maxrss)

    def share(self) -> str:
        """Wall and CPU median of the list beyond the libraries' floor: escdesk's own part."""
        medians = {
            figure: {label: statistics.median(runs[label]) * 1000 for label in (FLOOR, LIST)}
            for figure, runs in (("wall", self.seconds), ("cpu", self.cpu))
        }
        wall, cpu = (medians[f][LIST] - medians[f][FLOOR] for f in ("wall", "cpu"))
        return f"        {wall:5.0f} ms  cpu {cpu:5.0f} ms        "

    def line(self, label: str) -> str:
        runs = [s * 1000 for s in self.seconds[label]]
        cpu = statistics.median(self.cpu[label]) * 1000
        peak = max(self.rss_kib[label]) / 1024
        wall = f"{min(runs):5.0f} / {statistics.median(runs):5.0f} ms"
        return f"{wall}  cpu {cpu:5.0f} ms {peak:4.0f} MB"


def prepared(escdesk: Path, home: Path) -> Install:
    """An installation with an empty, upgraded desk of its own and no user configuration."""
    home.mkdir()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ESCDESK_") and k != "PYTHONDONTWRITEBYTECODE"
    }
    env.update(
        PYTHONPYCACHEPREFIX=str(home / "bytecode"),
        ESCDESK_DATABASE_URL=f"sqlite:///{home / 'escdesk.db'}",
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        COLUMNS="100",
    )
    subprocess.run([str(escdesk), "db", "upgrade"], env=env, check=True, capture_output=True)
    return Install(escdesk, env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--escdesk", type=Path, action="append", help="default: this venv's")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        installs = [
            prepared(path, Path(tmp) / str(n)) for n, path in enumerate(args.escdesk or [HERE])
        ]
        for install in installs:  # once untimed: compiled bytecode and a warm page cache
            for label in COMMANDS:
                install.run(label)
                for figures in (install.seconds, install.cpu, install.rss_kib):
                    figures[label].clear()
        for _ in range(args.runs):
            for label in COMMANDS:
                for install in installs:
                    install.run(label)
    print(f"start-up, {args.runs} runs each: fastest / median wall time, median CPU, peak RSS")
    for n, install in enumerate(installs):
        print(f"  [{n}] {install.escdesk}")
    for label in COMMANDS:
        cells = "   ".join(f"[{n}] {install.line(label)}" for n, install in enumerate(installs))
        print(f"{label:<35} {cells}")
    shares = "   ".join(f"[{n}] {install.share()}" for n, install in enumerate(installs))
    print(f"{'escdesk own share of the list':<35} {shares}")
    print("  (the list's median minus the libraries' median: what escdesk adds to its floor)")


if __name__ == "__main__":
    main()
