"""The modals a reminder's buttons open, and what their submissions say.

`private_metadata` carries the escalation and the audience the button named; the inputs carry
what the person typed. A refusal of bad input is shown on the input it is about.
"""

from __future__ import annotations

import json
from typing import Any

from escdesk.domain.errors import InvalidInput

POST_UPDATE = "esc.post_update"
SNOOZE = "esc.snooze"
TEXT_BLOCK = "text"
TEXT_ACTION = "value"


def post_update(escalation_id: int, audience: str) -> dict[str, Any]:
    title = "Customer update" if audience == "customer" else "Internal update"
    return _modal(POST_UPDATE, title, "Post", escalation_id, audience, "The update", True)


def snooze(escalation_id: int, audience: str) -> dict[str, Any]:
    return _modal(SNOOZE, "Snooze 1 hour", "Snooze", escalation_id, audience, "Why can it wait?")


def submitted(view: dict[str, Any]) -> tuple[int, str, str]:
    """(escalation id, audience, the text typed) of a submitted modal."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
        escalation_id, audience = int(meta["escalation_id"]), str(meta["audience"])
    except (ValueError, KeyError, TypeError):
        raise InvalidInput("private_metadata", "is not escdesk's", "Open the modal again") from None
    values = (view.get("state") or {}).get("values") or {}
    text = ((values.get(TEXT_BLOCK) or {}).get(TEXT_ACTION) or {}).get("value") or ""
    return escalation_id, audience, str(text)


def errors(text: str) -> dict[str, Any]:
    """Slack's `response_action: errors`: the refusal under the modal's one input."""
    return {"response_action": "errors", "errors": {TEXT_BLOCK: text[:150]}}


def _modal(
    callback: str,
    title: str,
    submit: str,
    escalation_id: int,
    audience: str,
    label: str,
    multiline: bool = False,
) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps({"escalation_id": escalation_id, "audience": audience}),
        "blocks": [
            {
                "type": "input",
                "block_id": TEXT_BLOCK,
                "label": {"type": "plain_text", "text": label},
                "element": {
                    "type": "plain_text_input",
                    "action_id": TEXT_ACTION,
                    "multiline": multiline,
                },
            }
        ],
    }
