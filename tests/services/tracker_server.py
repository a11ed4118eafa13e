"""A local HTTP server that speaks the tracker endpoints `escdesk.adapters.trackers` reads:
GitHub's issues and pulls, GitLab's issues and merge requests, Jira's issue status."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit


@dataclass
class Trackers:
    """What the server answers, by path; and the auth headers it was sent."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    seen: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    base: str = ""


@contextmanager
def tracker_server() -> Iterator[Trackers]:
    state = Trackers()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            path = unquote(urlsplit(self.path).path)
            state.seen.append(
                (path, self.headers.get("Authorization"), self.headers.get("PRIVATE-TOKEN"))
            )
            body = state.answers.get(path)
            code = 200 if body is not None else 404
            data = json.dumps(body if body is not None else {"message": "Not Found"}).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
