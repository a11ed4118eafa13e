"""Working in a Slack channel the way the Web API documents it: create one under a free name,
join a public channel when Slack answers `not_in_channel` and try once more; page through
`conversations.list`; turn a refusal into a permanent failure that says what to do.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from escdesk.domain.channel_names import next_after
from escdesk.notify.ports import SlackChannels
from escdesk.notify.slack_api import SlackApi, SlackRefused
from escdesk.notify.transport import DeliveryError

NAME_ATTEMPTS = 20
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_DOCUMENTED = {
    "channel_not_found": "the channel does not exist in Slack (or the bot cannot see it)",
    "is_archived": "the channel is archived in Slack; unarchive it, then retry",
    "not_in_channel": "the bot is not a member of the channel",
    "message_not_found": "the message was deleted in Slack; nothing is left to change",
    "cant_update_message": "the message was not posted by this Slack app's bot",
    "edit_window_closed": "the workspace's message editing settings forbid the edit",
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


def create_free(bot: SlackApi, name: str) -> dict[str, Any]:
    """`conversations.create`, numbering the name while Slack answers `name_taken`. After the
    first refusal the workspace's names (archived channels too: their names stay taken) are
    read once and numbering skips past them, so a customer's twenty-first escalation over
    the years gets its channel like the first."""
    taken: set[str] | None = None
    for _ in range(NAME_ATTEMPTS):
        try:
            answer = bot.call("conversations.create", name=name, is_private=False)
            return dict(answer["channel"])
        except SlackRefused as refused:
            if refused.error != "name_taken":
                raise refused.permanent(f"cannot create #{name}") from None
            if taken is None:
                taken = {str(c.get("name")) for c in channel_list(bot, exclude_archived=False)}
            taken.add(name)
            while name in taken:
                name = next_after(name)
    raise DeliveryError(
        f"{NAME_ATTEMPTS} channel names up to #{name} were taken as escdesk tried them",
        permanent=True,
    )


def orphan(
    bot: SlackApi, channels: SlackChannels, name: str, bot_user: str
) -> dict[str, Any] | None:
    """A channel this bot created for a message before dying, unknown to escdesk."""
    candidates = {name}
    for _ in range(NAME_ATTEMPTS - 1):
        candidates.add(name := next_after(name))
    for channel in channel_list(bot, exclude_archived=True):
        if (
            channel.get("name") in candidates
            and channel.get("creator") == bot_user
            and channels.by_channel_id(str(channel["id"])) is None
        ):
            return channel
    return None
