"""One `/esc` slash command: who, which escalation, which command; run it; say how it went."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from escdesk.chat import commands, open_form, replies, request_form
from escdesk.chat.desk import ChatDesk
from escdesk.domain.clock import Audience
from escdesk.domain.errors import EscdeskError, InvalidInput
from escdesk.services.escalation_commands import PostUpdate
from escdesk.services.runner import Runner

CONFIRM = "esc.confirm_update"
CANCEL = "esc.cancel"
BUTTON_VALUE_MAX = 2000
"""Slack's limit on a button's value, which carries a customer update until it is confirmed."""


def run(desk: ChatDesk, runner: Runner, form: Mapping[str, str], now: datetime) -> replies.Message:
    text = form.get("text", "")
    if commands.verb_of(text) in ("", "help"):
        return replies.help_text()
    try:
        actor = desk.people.actor(runner, form.get("user_id", ""))
        if commands.verb_of(text) == "open":
            direct = text.split()[1:2] == ["escalation"]
            view = open_form.view() if direct else request_form.view()
            desk.open_view(form.get("trigger_id", ""), view)
            return replies.ephemeral("The form is open.")
        parsed = commands.parse(
            text,
            desk.escalation_of(form.get("channel_id", "")),
            now=now,
            me=desk.people.email_of(form.get("user_id", "")),
            email_of=desk.people.email_of,
        )
        if parsed.confirm:
            return preview(parsed.command)
        result = (runner.read if parsed.read else runner.run)(parsed.handler, parsed.command, actor)
    except EscdeskError as exc:
        return replies.refusal(exc)
    return replies.done(parsed, result, now)


def preview(cmd: PostUpdate) -> replies.Message:
    """A customer-facing update is shown to its author first, with a button to post it."""
    value = json.dumps({"escalation_id": cmd.escalation_id, "body": cmd.body})
    if len(value) > BUTTON_VALUE_MAX:
        raise InvalidInput(
            "body", "is too long to preview in Slack", "Post a long customer update from escdesk"
        )
    quoted = "\n".join(f">{line}" for line in cmd.body.splitlines() or [""])
    blocks: list[dict[str, Any]] = [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": f"*The customer will read this update of ESC-{cmd.escalation_id}:*\n"
                f"{quoted}",
            },
        },
        {
            "type": "actions",
            "block_id": "confirm",
            "elements": [
                _button("Post to the customer", CONFIRM, value, "primary"),
                _button("Cancel", CANCEL, "{}"),
            ],
        },
    ]
    return replies.ephemeral("Preview of a customer update", blocks=blocks)


def confirmed(value: str) -> PostUpdate:
    data = button_value(value, "escalation_id", "body")
    return PostUpdate(int(data["escalation_id"]), Audience.CUSTOMER, str(data["body"]))


def button_value(value: str, *names: str) -> dict[str, Any]:
    """A button's JSON value as escdesk wrote it; anything else is refused, not failed on."""
    try:
        data = json.loads(value)
        if isinstance(data, dict) and all(n in data for n in names):
            int(data.get("escalation_id", 0))
            return data
    except (ValueError, TypeError):
        pass
    raise InvalidInput("button", "does not carry what escdesk put in it", "Press a fresh one")


def _button(label: str, action: str, value: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action,
        "value": value,
    }
    if style:
        button["style"] = style
    return button
