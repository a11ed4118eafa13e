"""One Slack Web API call, with Slack's failures sorted the way the worker needs them.

slack-sdk's `WebClient` does the HTTP; its own retries are switched off, because a retry inside
a call can post a message twice — the worker retries, with the delivery journal to resume from.
What comes back is one of three things:
- the answer (`ok: true`);
- `SlackRefused(error)`: Slack understood and said no (`channel_not_found`, `name_taken`…);
  the transport decides what that means for its step;
- `DeliveryError`: a pause the peer asked for (HTTP 429 `Retry-After`), an outage (HTTP 5xx,
  refused connections, timeouts: worth retrying), or a token Slack will not accept
  (`invalid_auth`…: permanent until someone fixes the configuration).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from escdesk.notify.transport import DeliveryError

DEFAULT_API_URL = "https://slack.com/api/"
TIMEOUT_SECONDS = 15
DEFAULT_RETRY_AFTER = 30.0
"""When Slack rate-limits without saying for how long (it always says; a proxy may not)."""

_AUTH_ERRORS = {
    "invalid_auth": "Slack does not accept the bot token",
    "not_authed": "no Slack token was sent",
    "account_inactive": "the Slack token belongs to a deleted user or workspace",
    "token_revoked": "the Slack token was revoked",
    "token_expired": "the Slack token expired",
    "not_allowed_token_type": "this Slack method does not take this kind of token",
}
_TRANSIENT_ERRORS = {
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "ratelimited",
    "too_many_requests",
}


class SlackRefused(Exception):
    """Slack answered `ok: false` with an error the caller may know how to handle."""

    def __init__(self, method: str, error: str, needed: str | None = None) -> None:
        super().__init__(f"Slack refused {method}: {error}")
        self.method = method
        self.error = error
        self.needed = needed

    def permanent(self, what: str, fix: str = "") -> DeliveryError:
        """The refusal as a permanent failure of `what`, saying how to fix it."""
        reason = f"{what}: Slack answered {self.error} to {self.method}"
        return DeliveryError(f"{reason}. {fix}".strip().rstrip("."), permanent=True)


class SlackApi:
    """The Web API with one token (the bot's, or a user's for what bots may not do)."""

    def __init__(self, token: str, base_url: str = DEFAULT_API_URL, setting: str = "") -> None:
        url = base_url if base_url.endswith("/") else base_url + "/"
        self.client = WebClient(token=token, base_url=url, timeout=TIMEOUT_SECONDS)
        self.client.retry_handlers = []
        self.base_url = url
        self.setting = setting or "ESCDESK_SLACK_BOT_TOKEN"

    def call(self, method: str, **args: Any) -> dict[str, Any]:
        """Call `method` with form arguments (lists and mappings are sent as JSON)."""
        params = {name: _form_value(value) for name, value in args.items() if value is not None}
        try:
            response = self.client.api_call(method, params=params)
        except SlackApiError as exc:
            raise self._failure(method, exc) from None
        except (URLError, OSError, TimeoutError) as exc:
            reason = getattr(exc, "reason", exc)
            raise DeliveryError(
                f"cannot reach Slack at {self.base_url} ({reason})", permanent=False
            ) from None
        data = response.data
        if not isinstance(data, dict):
            raise DeliveryError(f"Slack sent no JSON answer to {method}", permanent=False)
        return data

    def _failure(self, method: str, exc: SlackApiError) -> Exception:
        response = exc.response
        status = response.status_code
        if status == 429:
            header = _header(response.headers, "Retry-After")
            pause = _seconds(header)
            return DeliveryError(
                f"Slack rate-limited {method}; it asked to wait {pause:g} s",
                permanent=False,
                retry_after=pause,
            )
        if status >= 500:
            return DeliveryError(f"Slack answered HTTP {status} to {method}", permanent=False)
        data = response.data if isinstance(response.data, dict) else {}
        if status != 200 or "error" not in data:
            return DeliveryError(
                f"{self.base_url}{method} answered HTTP {status}, not the Slack Web API; "
                "check ESCDESK_SLACK_API_URL",
                permanent=True,
            )
        error = str(data["error"])
        if error in _AUTH_ERRORS:
            return DeliveryError(
                f"{_AUTH_ERRORS[error]} ({error}); check {self.setting}", permanent=True
            )
        if error == "missing_scope":
            needed = data.get("needed", "?")
            return DeliveryError(
                f"the Slack app lacks the {needed} scope for {method}; add it under OAuth & "
                "Permissions and reinstall the app",
                permanent=True,
            )
        if error in _TRANSIENT_ERRORS:
            return DeliveryError(f"Slack failed {method} ({error})", permanent=False)
        return SlackRefused(method, error, data.get("needed"))


def _form_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"))
    return value


def _header(headers: Any, name: str) -> str | None:
    for key, value in dict(headers or {}).items():
        if key.lower() == name.lower():
            return str(value[0] if isinstance(value, list) else value)
    return None


def _seconds(value: str | None) -> float:
    try:
        return max(float(value), 1.0) if value is not None else DEFAULT_RETRY_AFTER
    except ValueError:
        return DEFAULT_RETRY_AFTER
