"""Working in a Slack channel the way the Web API documents it: join a public channel when
Slack answers `not_in_channel` and try once more; page through `conversations.list`; turn a
refusal into a permanent failure that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from escdesk.notify.slack_api import SlackApi, SlackRefused
from escdesk.notify.transport import DeliveryError

_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_DOCUMENTED = {
    "channel_not_found": "the channel does not exist in Slack (or the bot cannot see it)",
    "is_archived": "the channel is archived in Slack; unarchive it, then retry",
    "not_in_channel": "the bot is not a member of the channel",
}


def valid_name(name: str) -> bool:
    """Slack's rule: lower-case letters, digits, `-` and `_`, at most 80 characters."""
    return 0 < len(name) <= 80 and all(c in _ALLOWED for c in name)


def refusal(refused: SlackRefused, what: str) -> DeliveryError:
    return refused.permanent(what, _DOCUMENTED.get(refused.error, ""))


def join(bot: SlackApi, channel_id: str) -> None:
    try:
        bot.call("conversations.join", channel=channel_id)
    except SlackRefused as refused:
        raise refusal(refused, f"cannot join channel {channel_id}") from None


def in_channel(
    bot: SlackApi,
    channel_id: str,
    name: str,
    what: str,
    call: Callable[[], dict[str, Any]],
    tolerate: Collection[str] = (),
) -> dict[str, Any]:
    """Run `call`; on `not_in_channel` join the public channel and try once more. Errors in
    `tolerate` mean the work is done already (`already_pinned`, `already_archived`)."""
    for attempt in ("first", "after joining"):
        try:
            return dict(call())
        except SlackRefused as refused:
            if refused.error in tolerate:
                return {}
            if refused.error != "not_in_channel" or attempt != "first":
                suffix = "" if attempt == "first" else " after joining it"
                raise refusal(refused, f"cannot {what} #{name}{suffix}") from None
        join(bot, channel_id)
    raise AssertionError("unreachable")


def channel_list(bot: SlackApi, *, exclude_archived: bool) -> list[dict[str, Any]]:
    """Every public channel, page by page."""
    found: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        answer = bot.call(
            "conversations.list",
            types="public_channel",
            exclude_archived=exclude_archived,
            limit=200,
            cursor=cursor,
        )
        found.extend(answer.get("channels", []))
        cursor = (answer.get("response_metadata") or {}).get("next_cursor") or None
        if not cursor:
            return found
