"""Real `escdesk` processes for the operations tests, configured only by `ESCDESK_*`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

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


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
