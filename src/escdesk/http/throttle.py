"""The sign-in throttle of this server process, shared by the API's and the pages' sign-in."""

from __future__ import annotations

import threading
from typing import Annotated

from fastapi import Depends, Request

from escdesk.domain.throttle import SignInThrottle

_lock = threading.Lock()


def get_throttle(request: Request) -> SignInThrottle:
    """The app's throttle, made on first use from its settings."""
    state = request.app.state
    with _lock:
        throttle: SignInThrottle | None = getattr(state, "sign_in_throttle", None)
        if throttle is None:
            settings = state.settings
            throttle = SignInThrottle(settings.sign_in_free_attempts, settings.sign_in_max_delay)
            state.sign_in_throttle = throttle
    return throttle


def client_address(request: Request) -> str | None:
    """The client as the server sees it (behind a proxy, uvicorn's `proxy_headers` apply)."""
    return request.client.host if request.client else None


ThrottleDep = Annotated[SignInThrottle, Depends(get_throttle)]
