"""Archiving an escalation's channel at closing and unarchiving it at reopening (seed 004).

Slack lets a bot archive a channel it is in, but not unarchive one: `conversations.unarchive`
needs a user token (`ESCDESK_SLACK_USER_TOKEN`). Both are safe to repeat: `already_archived`
and `not_archived` mean the work is done.
"""

from __future__ import annotations

from typing import Any

from escdesk.notify import slack_channel
from escdesk.notify.ports import SlackChannel, SlackChannels
from escdesk.notify.slack_api import SlackApi, SlackRefused
from escdesk.notify.transport import DeliveryError, Receipt


def archive(bot: SlackApi, channels: SlackChannels, escalation_id: int) -> Receipt:
    channel = channels.of_escalation(escalation_id)
    if channel is None:
        return Receipt({"archived": False, "note": "the escalation never had a channel"})
    slack_channel.in_channel(
        bot,
        channel.channel_id,
        channel.name,
        "archive",
        lambda: bot.call("conversations.archive", channel=channel.channel_id),
        tolerate={"already_archived"},
    )
    channels.mark_archived(channel.escalation_id, True)
    return Receipt({"channel_id": channel.channel_id, "channel": channel.name, "archived": True})


def unarchive(bot: SlackApi, user: SlackApi | None, channel: SlackChannel) -> dict[str, Any]:
    """Unarchive the channel with the user token (if archived) and join it with the bot."""
    try:
        info = bot.call("conversations.info", channel=channel.channel_id)["channel"]
    except SlackRefused as refused:
        raise slack_channel.refusal(refused, f"cannot look up #{channel.name}") from None
    if info.get("is_archived"):
        if user is None:
            raise DeliveryError(
                f"Slack does not let a bot unarchive #{channel.name} "
                "(conversations.unarchive needs a user token): set ESCDESK_SLACK_USER_TOKEN, "
                "or unarchive the channel in Slack, then retry",
                permanent=True,
            )
        try:
            user.call("conversations.unarchive", channel=channel.channel_id)
        except SlackRefused as refused:
            if refused.error != "not_archived":
                raise refused.permanent(f"cannot unarchive #{channel.name}") from None
    slack_channel.join(bot, channel.channel_id)
    return {"channel_id": channel.channel_id, "channel": channel.name, "archived": False}
