"""A local HTTP server standing in for Slack's `response_url`: it takes the JSON answers
posted to it (as Slack documents: `text`, `blocks`, `response_type`, `replace_original`…)
and lets a test wait for them."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class ResponseUrl:
    def __init__(self) -> None:
        self.answers: list[dict[str, Any]] = []
        self._arrived = threading.Condition()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/commands/T0001/1/abc"

    def start(self) -> ResponseUrl:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                answer = json.loads(self.rfile.read(length) or b"{}")
                with outer._arrived:
                    outer.answers.append(answer)
                    outer._arrived.notify_all()
                self.send_response(200)
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def wait(self, count: int = 1, timeout: float = 10.0) -> list[dict[str, Any]]:
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.answers) >= count, timeout)
        return list(self.answers)

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
