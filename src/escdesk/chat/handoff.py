"""Answering within Slack's three seconds: acknowledge, then answer through the response URL.

The work (who is this, parse, run through the runner, render) runs on a small thread pool.
When it ends within the budget its answer is the HTTP response, as Slack prefers; when it does
not, the request answers "working on it" and the work, once done, posts its answer to the
`response_url` Slack gave (valid for 30 minutes, five answers), if it is Slack's
(`chat/response_urls.py`). What the work changed is committed by the runner either way; only
the ephemeral answer travels late.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_sdk.webhook import WebhookClient

from escdesk.chat.response_urls import ResponseUrls

log = logging.getLogger("escdesk.chat")

Message = dict[str, Any]
BUDGET_SECONDS = 2.0
"""Slack waits 3 s; the rest is for the network between."""

_SENDABLE = {"text", "blocks", "response_type", "replace_original", "delete_original"}


def respond(url: str, message: Message) -> None:
    """Post an answer to a response URL (Slack's, or a test's local server)."""
    client = WebhookClient(url, timeout=10)
    client.retry_handlers = []
    try:
        answer = client.send(**{k: v for k, v in message.items() if k in _SENDABLE})
    except OSError as exc:
        log.warning("the answer to Slack's response URL was not sent: %s", exc)
        return
    if answer.status_code != 200:
        log.warning("Slack's response URL answered HTTP %s: %s", answer.status_code, answer.body)


class _Handoff:
    """Whoever comes first — the work with its answer, or the request giving up — decides."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reply: Message | None = None
        self._late = False

    def offer(self, reply: Message | None) -> bool:
        with self._lock:
            if self._late:
                return False
            self._reply = reply
            return True

    def collect(self) -> tuple[bool, Message | None]:
        """(in time, the answer); marks the work late when it is not done."""
        with self._lock:
            if self._reply is not None:
                return True, self._reply
            self._late = True
            return False, None


class Answering:
    def __init__(
        self,
        budget: float = BUDGET_SECONDS,
        respond: Callable[[str, Message], None] = respond,
        workers: int = 4,
        urls: ResponseUrls | None = None,
    ) -> None:
        self.budget = budget
        self.respond = respond
        self.urls = urls or ResponseUrls()
        self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack")

    async def answer(
        self, work: Callable[[], Message | None], response_url: str | None
    ) -> Message | None:
        """The work's answer if it came in time; else None, and the work answers later."""
        handoff = _Handoff()

        def job() -> None:
            try:
                reply = work()
            except Exception:  # the person must hear something; the log gets the rest
                log.exception("a Slack request failed")
                reply = {
                    "response_type": "ephemeral",
                    "text": ":warning: escdesk failed to do that (see its log); try again",
                }
            if not handoff.offer(reply) and reply is not None and response_url:
                self.deliver(response_url, reply)

        future = asyncio.get_running_loop().run_in_executor(self.executor, job)
        await asyncio.wait({future}, timeout=self.budget)
        in_time, reply = handoff.collect()
        return reply if in_time else None

    def deliver(self, url: str, message: Message) -> None:
        """Post `message` to `url` if it is Slack's response URL; refuse and log anything else,
        never requesting it."""
        if not self.urls.allows(url):
            log.warning(
                "refused to post an answer to %r: not a Slack response URL (https on "
                "hooks.slack.com or *.slack.com, or the host of ESCDESK_SLACK_API_URL)",
                url[:200],
            )
            return
        self.respond(url, message)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
