"""A PostgreSQL server of the test's own, in a temporary directory (initdb and pg_ctl from the
Debian packages), so a test may stop and start it without disturbing the shared server."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.store.peers import closed_port

BIN_DIRS = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def binary(name: str) -> str | None:
    for folder in BIN_DIRS:
        if (folder / name).exists():
            return str(folder / name)
    return shutil.which(name)


def missing_reason() -> str | None:
    """Why this machine cannot run a private server, or None when it can."""
    if binary("initdb") is None or binary("pg_ctl") is None:
        return "needs PostgreSQL's initdb and pg_ctl (Debian: postgresql)"
    if os.geteuid() == 0 and (shutil.which("runuser") is None or not _has_user("postgres")):
        return "as root, needs runuser and a postgres user to run initdb"
    return None


def _has_user(name: str) -> bool:
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class OwnPostgres:
    directory: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str) -> None:
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_owner, *command], check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.directory / "server.log")
        self._run(binary("pg_ctl") or "pg_ctl", "-D", str(self.directory / "data"), "-l", log,
                  "-o", options, "-w", "start")  # fmt: skip

    def stop(self) -> None:
        self._run(binary("pg_ctl") or "pg_ctl", "-D", str(self.directory / "data"), "-m", "fast",
                  "-w", "stop")  # fmt: skip


@contextmanager
def own_postgres() -> Iterator[OwnPostgres]:
    """A started server; stopped and its files removed afterwards. Its folder is a fresh one
    under the system's temporary directory, which the postgres user can reach (pytest's own
    temporary folders are private to the user running the tests)."""
    directory = Path(tempfile.mkdtemp(prefix="escdesk-pg-"))
    if os.geteuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    server = OwnPostgres(directory, closed_port())
    server._run(binary("initdb") or "initdb", "-D", str(directory / "data"), "-A", "trust",
                "-U", "postgres", "--no-sync")  # fmt: skip
    server.start()
    try:
        yield server
    finally:
        try:
            server.stop()
        except subprocess.CalledProcessError:
            pass  # already stopped by the test
        shutil.rmtree(directory, ignore_errors=True)
