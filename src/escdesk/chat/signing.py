"""Is this request from Slack? Its signature, its age, and whether it was heard before.

Slack signs every request with the app's signing secret: `v0=` + HMAC-SHA256 of
`v0:{X-Slack-Request-Timestamp}:{body}`. slack-sdk's `SignatureVerifier` checks the HMAC and
Slack's five-minute window; within that window a copied request would verify again, so each
signature is remembered until it leaves the window and a second hearing is refused. The
signatures heard are kept in the database (`HeardRequests`), not in the process: with
`escdesk serve --workers 2` a replay is refused whichever process it reaches.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import Protocol

from slack_sdk.signature import Clock, SignatureVerifier

from escdesk.domain.access import SignInRequired

WINDOW_SECONDS = 5 * 60
"""Slack's documented limit on a request's age (and how far ahead a clock may run)."""


class NotFromSlack(SignInRequired):
    """An unsigned, wrongly signed, stale or replayed request: HTTP 401."""

    code = "slack_signature"


class _Clock(Clock):
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now

    def now(self) -> float:
        return self._now()


class HeardRequests(Protocol):
    """The signed requests heard lately, shared by every process (the store implements it)."""

    def first_hearing(self, signature: str, stamp: int, oldest: int) -> bool:
        """Note `signature` (sent at Unix time `stamp`) as heard; False when it was heard
        before. Requests sent before `oldest` may be forgotten: the window refuses them."""
        ...


class SlackRequests:
    """Verifies requests with one signing secret; one per app, shared by its threads."""

    def __init__(
        self, secret: str, heard: HeardRequests, now: Callable[[], float] = time.time
    ) -> None:
        self._now = now
        self._verifier = SignatureVerifier(secret, clock=_Clock(now))
        self._heard = heard

    def verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        """Raise NotFromSlack unless the request is Slack's, fresh and first heard now."""
        stamp = headers.get("x-slack-request-timestamp")
        signature = headers.get("x-slack-signature")
        if not stamp or not signature:
            raise NotFromSlack("the request is not signed by Slack (no X-Slack-Signature)")
        if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > 12:
            raise NotFromSlack("X-Slack-Request-Timestamp is not a Unix time")
        now = self._now()
        if abs(now - int(stamp)) > WINDOW_SECONDS:
            raise NotFromSlack("the request is older than Slack's five minutes (a replay?)")
        if not self._verifier.is_valid(body, stamp, signature):
            raise NotFromSlack("the Slack signature does not match the signing secret")
        if not self._heard.first_hearing(signature, int(stamp), int(now) - WINDOW_SECONDS):
            raise NotFromSlack("this signed request was heard already (a replay)")
