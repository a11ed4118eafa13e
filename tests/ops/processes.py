"""Real `escdesk` processes for the operations tests, configured only by `ESCDESK_*`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.notify.slack_server import BOT_TOKEN

ESCDESK = str(Path(sys.executable).parent / "escdesk")


def environment(tmp: Path, **settings: str) -> dict[str, str]:
    """The test's environment without any ESCDESK_* of its own, plus `settings`; the config
    and data directories point into `tmp`, so no config file of the machine is read."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ESCDESK_")}
    env.update(XDG_CONFIG_HOME=str(tmp / "config"), XDG_DATA_HOME=str(tmp / "data"))
    env.update({f"ESCDESK_{k.upper()}": v for k, v in settings.items()})
    return env


def start_worker(
    tmp: Path, database_url: str, slack_url: str, **settings: str
) -> subprocess.Popen[str]:
    env = environment(
        tmp,
        database_url=database_url,
        slack_api_url=slack_url,
        slack_bot_token=BOT_TOKEN,
        worker_poll_seconds="0.2",
        **settings,
    )
    return subprocess.Popen(
        [ESCDESK, "worker"],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


class Server:
    """A running `escdesk serve` on a port of its own; its output goes to `log`, a file, so a
    chatty server never blocks on a full pipe and a failing test can show what it said."""

    def __init__(self, tmp: Path, database_url: str, **settings: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = tmp / f"serve-{self.port}.log"
        env = environment(tmp, database_url=database_url, **settings)
        with open(self.log, "w", encoding="utf-8") as output:
            self.process = subprocess.Popen(
                [ESCDESK, "serve", "--port", str(self.port)],
                cwd=tmp,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                text=True,
            )

    def wait_until_up(self, timeout: float = 60) -> Server:
        def up_or_gone() -> bool:
            return answers(f"{self.url}/healthz") or self.process.poll() is not None

        wait_for(up_or_gone, timeout, f"escdesk serve on port {self.port}")
        assert self.process.poll() is None, self.output()
        return self

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self) -> int:
        """SIGTERM, then the exit status (killed after 30 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def start_servers(tmp: Path, database_url: str, count: int, **settings: str) -> list[Server]:
    """`count` servers on one database, started side by side and answering when returned."""
    servers = [Server(tmp, database_url, **settings) for _ in range(count)]
    try:
        for server in servers:
            server.wait_until_up()
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
