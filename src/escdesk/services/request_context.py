"""The request id of the change being made, so one change can be followed through every log.

The HTTP layer sets it for each request (from `X-Request-ID`, or a new one); the store writes it
on each outbox row the change queues; the worker sets it again while it delivers that row, so
the worker's log lines for the message carry the id of the request that caused it.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

_current: ContextVar[str | None] = ContextVar("escdesk_request_id", default=None)
_ACCEPTED = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current_request_id() -> str | None:
    return _current.get()


def bind_request_id(request_id: str | None) -> Token[str | None]:
    return _current.set(request_id)


def release_request_id(token: Token[str | None]) -> None:
    _current.reset(token)


def accepted_or_new(offered: str | None) -> str:
    """A client's id when it is a plain token of at most 64 characters, else a fresh one:
    an id goes into logs and a column, so odd text is replaced rather than stored."""
    if offered and _ACCEPTED.match(offered):
        return offered
    return uuid.uuid4().hex
