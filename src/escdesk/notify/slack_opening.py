"""Keeping the pinned opening message true (issue #21): `slack.refresh_opening` rewrites it
with `chat.update` when the DRI, the severity, the ETA or the status changes.

The refresh carries the escalation's state as it was right after the change that queued it,
rendered at queue time, not read again at delivery: the row is written in that change's
transaction, so it is a consistent picture of one version, and the worker needs no way into
the escalation store. A stale picture never wins: the worker keeps order per destination (the
refresh shares the channel's queue, after the opening post it rewrites), and every refresh
carries the escalation `version` it shows — one older than what the message shows already (a
dead letter retried late) is skipped, not applied.

What Slack refuses is final for that refresh, and the next change queues another:
`message_not_found` (the pinned message was deleted), `cant_update_message` (it is not this
bot's), `edit_window_closed` (the workspace forbids edits), `channel_not_found`, `is_archived`
(reopening unarchives, then refreshes). Outages and rate limits are retried as for any post.
"""

from __future__ import annotations

from escdesk.notify import slack_channel, slack_text
from escdesk.notify.ports import SlackChannels
from escdesk.notify.slack_api import SlackApi
from escdesk.notify.transport import DeliveryError, OutboundMessage, Receipt

KIND = "slack.refresh_opening"


def refresh(
    bot: SlackApi, channels: SlackChannels, m: OutboundMessage, escalation_id: int
) -> Receipt:
    """Rewrite the escalation's opening message with the state in the payload."""
    channel = channels.of_escalation(escalation_id)
    if channel is None or channel.opening_ts is None:
        what = "channel was never created" if channel is None else "opening was never posted"
        raise DeliveryError(
            f"the escalation's {what}, so there is no opening message to refresh; retry the "
            "opening from the outbox, and the next change of DRI, severity, ETA or status "
            "refreshes it",
            permanent=True,
        )
    version = int(m.payload.get("version") or 0)
    receipt = {"channel_id": channel.channel_id, "channel": channel.name, "ts": channel.opening_ts}
    if version < channel.opening_version:
        return Receipt(
            receipt | {"refreshed": False, "skipped": f"it shows version {channel.opening_version}"}
        )
    if channel.archived:
        raise DeliveryError(
            f"#{channel.name} is archived, and Slack edits nothing there; reopening refreshes it",
            permanent=True,
        )
    try:
        text = slack_text.render(m.payload, f"<#{channel.channel_id}>")
    except slack_text.UnknownTemplate as exc:
        raise DeliveryError(str(exc), permanent=True) from None
    ts = channel.opening_ts
    slack_channel.in_channel(  # joins once if the bot was removed from the channel
        bot,
        channel.channel_id,
        channel.name,
        "update the opening message in",
        lambda: bot.call("chat.update", channel=channel.channel_id, ts=ts, text=text),
    )
    shown = channels.opening_shows(escalation_id, version)
    return Receipt(receipt | {"version": version, "refreshed": shown})
