"""Requests built exactly as Slack builds them: a form (or JSON) body, signed with the app's
signing secret — `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` — in the
`X-Slack-Signature` and `X-Slack-Request-Timestamp` headers. Written from Slack's
"Verifying requests from Slack" page, not from escdesk's code."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient
from httpx import Response

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0001"


def signature(body: bytes, stamp: str, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + stamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def post_signed(
    client: TestClient,
    path: str,
    body: bytes,
    *,
    content_type: str = "application/x-www-form-urlencoded",
    stamp: int | None = None,
    secret: str = SIGNING_SECRET,
) -> Response:
    ts = str(int(time.time()) if stamp is None else stamp)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature(body, ts, secret),
    }
    return client.post(path, content=body, headers=headers)


def command_body(text: str, user_id: str, channel_id: str, response_url: str = "") -> bytes:
    """The form Slack posts for `/esc <text>`."""
    return urlencode(
        {
            "token": "deprecated-verification-token",
            "team_id": TEAM,
            "team_domain": "acme",
            "channel_id": channel_id,
            "channel_name": "esc_acme",
            "user_id": user_id,
            "user_name": "someone",
            "command": "/esc",
            "text": text,
            "api_app_id": "A0001",
            "response_url": response_url or "https://hooks.slack.com/commands/T0001/1/abc",
            "trigger_id": "13345224609.738474920.8088930838d88f008e0",
        }
    ).encode()


def slash(client: TestClient, text: str, user_id: str, channel_id: str) -> Response:
    return post_signed(client, "/slack/commands", command_body(text, user_id, channel_id))


def interaction(client: TestClient, payload: dict[str, Any]) -> Response:
    """Buttons and modals: the JSON payload in a `payload` form field."""
    body = urlencode({"payload": json.dumps(payload)}).encode()
    return post_signed(client, "/slack/interactions", body)


def button(
    action_id: str, value: str, user_id: str, response_url: str, trigger: str = "1.2.abc"
) -> dict[str, Any]:
    return {
        "type": "block_actions",
        "user": {"id": user_id, "team_id": TEAM},
        "team": {"id": TEAM},
        "trigger_id": trigger,
        "response_url": response_url,
        "actions": [
            {"type": "button", "action_id": action_id, "block_id": "reminder", "value": value}
        ],
    }


def submission(view: dict[str, Any], text: str, user_id: str) -> dict[str, Any]:
    """Slack's `view_submission` of one of escdesk's modals, with `text` typed in."""
    block = view["blocks"][0]
    state = {
        block["block_id"]: {
            block["element"]["action_id"]: {"type": "plain_text_input", "value": text}
        }
    }
    return {
        "type": "view_submission",
        "user": {"id": user_id, "team_id": TEAM},
        "team": {"id": TEAM},
        "view": {**view, "id": "V1", "state": {"values": state}},
    }
