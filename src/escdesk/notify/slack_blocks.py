"""Buttons on the scheduler's reminders (Block Kit), so the DRI acts from the message itself.

A pre-breach warning or an overdue notice carries "Post update" (a modal), "Snooze 1 h" (a
modal asking the reason) and "Open in escdesk"; a standup reminder carries "Open the tracker";
the daily nudge both. Each button's value names the escalation and the audience; the Slack
face (`escdesk.chat`) turns a press into the same typed command the pages use.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

POST_UPDATE = "esc.post_update"
SNOOZE = "esc.snooze"
OPEN = "esc.open"


def reminder_blocks(payload: Mapping[str, Any], text: str) -> list[dict[str, Any]] | None:
    """The blocks of a reminder post, or None for any other post (text only)."""
    kind = payload.get("reminder")
    escalation_id = payload.get("escalation_id")
    if not kind or escalation_id is None:
        return None
    tracker = str(payload.get("tracker_url") or "")
    value = json.dumps(
        {"escalation_id": escalation_id, "audience": payload.get("audience") or "internal"}
    )
    buttons: list[dict[str, Any]] = []
    if kind in ("warning", "overdue", "nudge"):
        buttons.append(_button("Post update", POST_UPDATE, value=value, style="primary"))
    if kind in ("warning", "overdue"):
        buttons.append(_button("Snooze 1 h", SNOOZE, value=value))
        if tracker:
            buttons.append(_button("Open in escdesk", OPEN, url=tracker.removesuffix("/tracker")))
    elif tracker:
        buttons.append(_button("Open the tracker", OPEN, url=tracker))
    section = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if not buttons:
        return [section]
    return [section, {"type": "actions", "block_id": "reminder", "elements": buttons}]


def _button(label: str, action: str, **extra: str) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": label},
        "action_id": action,
    }
    button.update(extra)
    return button
