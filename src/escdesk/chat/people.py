"""Who typed it: the Slack user's e-mail (`users.info`), and the escdesk person with that e-mail.

The e-mail Slack gives is remembered for an hour, so a busy channel costs one `users.info` per
person per hour; the person is looked up in escdesk on every request, so roles changed there
apply at once. A Slack user escdesk does not know is refused — never run as someone else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from escdesk.domain.access import Actor
from escdesk.domain.errors import EscdeskError, InvalidInput
from escdesk.services import people
from escdesk.services.runner import Runner

REMEMBER_SECONDS = 3600.0


class SlackWeb(Protocol):
    """The Slack Web API with the bot token (escdesk.notify.slack_api.SlackApi fits)."""

    def call(self, method: str, **args: Any) -> dict[str, Any]: ...


class UnknownSlackUser(EscdeskError):
    """The Slack user has no escdesk person (or Slack would not say their e-mail)."""

    code = "unknown_slack_user"


class SlackPeople:
    def __init__(self, web: SlackWeb | None, now: Callable[[], float] = time.monotonic) -> None:
        self.web = web
        self._now = now
        self._emails: dict[str, tuple[str, float]] = {}
        self._lock = threading.Lock()

    def email_of(self, user_id: str) -> str:
        """The e-mail of a Slack user, from Slack's profile (scope `users:read.email`)."""
        with self._lock:
            known = self._emails.get(user_id)
        if known is not None and known[1] > self._now():
            return known[0]
        if self.web is None:
            raise UnknownSlackUser(
                "escdesk cannot ask Slack who you are: set ESCDESK_SLACK_BOT_TOKEN"
            )
        try:
            answer = self.web.call("users.info", user=user_id)
        except Exception as exc:  # a refusal or an outage: either way, nobody to act as
            raise UnknownSlackUser(f"Slack would not say who {user_id} is ({exc})") from None
        email = str(((answer.get("user") or {}).get("profile") or {}).get("email") or "")
        if not email:
            raise UnknownSlackUser(
                "Slack gives no e-mail for you, so escdesk cannot tell who you are; the app "
                "needs the users:read.email scope"
            )
        with self._lock:
            self._emails[user_id] = (email, self._now() + REMEMBER_SECONDS)
        return email

    def actor(self, runner: Runner, user_id: str) -> Actor:
        """The escdesk person behind a Slack user, with their roles."""
        email = self.email_of(user_id)
        try:
            return people.acting_as(runner, email)
        except InvalidInput:  # the people directory names an unknown person so
            raise UnknownSlackUser(
                f"{email} is not a person in escdesk, so nothing was done; ask a manager "
                "to add you (escdesk people add) with your Slack e-mail"
            ) from None
