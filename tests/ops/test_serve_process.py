"""A real `escdesk serve` with JSON logs: each request is one JSON line carrying the request id
the client sent, and SIGTERM stops it cleanly with exit status 0."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import httpx

from escdesk.store.database import make_engine
from escdesk.store.migrate import upgrade
from tests.ops.processes import ESCDESK, answers, environment, free_port, wait_for


def test_serve_logs_json_lines_with_the_request_id_and_stops_on_sigterm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'escdesk.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    port = free_port()
    env = environment(tmp_path, database_url=url, log_format="json")
    server = subprocess.Popen(
        [ESCDESK, "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: answers(f"{base}/healthz"), 60, "escdesk serve to answer")
        answer = httpx.get(f"{base}/readyz", headers={"X-Request-ID": "probe-42"})
        assert answer.headers["x-request-id"] == "probe-42"
        assert answer.status_code == 503  # no worker has run on this database
        server.send_signal(signal.SIGTERM)
        _, stderr = server.communicate(timeout=60)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0, stderr
    entries = [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]
    assert len(entries) == len([line for line in stderr.splitlines() if line.strip()]), stderr
    probe = [e for e in entries if e.get("request_id") == "probe-42"]
    assert [(e["logger"], e["route"], e["status"]) for e in probe] == [
        ("escdesk.http", "/readyz", 503)
    ]
    assert any(e["logger"].startswith("uvicorn") for e in entries)  # uvicorn's lines too
