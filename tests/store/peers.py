"""Network peers that behave like a database gone wrong: nobody listening, or a frozen server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager


def closed_port() -> int:
    """A local TCP port nobody listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def silent_server() -> Iterator[int]:
    """A port whose kernel completes the TCP handshake but no server ever answers, as with a
    PostgreSQL that is frozen: only a connect timeout ends the wait."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)  # never accepted: connections queue in the backlog, unanswered
        yield listener.getsockname()[1]
