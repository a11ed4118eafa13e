"""Asking the escalation's owners into its channel (seed 004: the DRI, the product DRI and the
product leader "should be added to the #esc_customername channel").

People are found by e-mail (`users.lookupByEmail`); someone Slack does not know, or will not
let in, is reported in the receipt — the escalation page shows who to invite by hand — and
never fails the delivery.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from escdesk.notify.slack_api import SlackApi, SlackRefused

_ALREADY_DONE = {"already_in_channel", "cant_invite_self"}


def invite_all(
    bot: SlackApi,
    channel_id: str,
    invitees: Iterable[Mapping[str, Any]],
    join: Callable[[str], None],
) -> dict[str, Any]:
    """Invite each person by e-mail; returns who is in, who Slack does not know, who it
    refused (with Slack's reason)."""
    invited: list[str] = []
    not_in_slack: list[str] = []
    not_invited: dict[str, str] = {}
    for person in invitees:
        email = str(person.get("email") or "").strip()
        if not email:
            continue
        try:
            user = str(bot.call("users.lookupByEmail", email=email)["user"]["id"])
        except SlackRefused as refused:
            if refused.error == "users_not_found":
                not_in_slack.append(email)
            else:
                not_invited[email] = refused.error
            continue
        refusal = _invite(bot, channel_id, user, join)
        if refusal is None:
            invited.append(email)
        else:
            not_invited[email] = refusal
    return {"invited": invited, "not_in_slack": not_in_slack, "not_invited": not_invited}


def _invite(bot: SlackApi, channel_id: str, user: str, join: Callable[[str], None]) -> str | None:
    """None once the user is in the channel, else Slack's reason for refusing."""
    for attempt in ("first", "after joining"):
        try:
            bot.call("conversations.invite", channel=channel_id, users=user)
            return None
        except SlackRefused as refused:
            if refused.error in _ALREADY_DONE:
                return None
            if refused.error != "not_in_channel" or attempt != "first":
                return refused.error
        join(channel_id)  # the bot must be a member to invite anyone
    return None
