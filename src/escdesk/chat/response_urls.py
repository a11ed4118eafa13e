"""Where a late answer may be posted: Slack's own response URLs, and nowhere else.

A late answer is POSTed to the `response_url` the request carried. The request is signed, but
escdesk still asks nothing of a host Slack does not own (server-side request forgery): only
`https` URLs on `hooks.slack.com` and the other `*.slack.com` hosts, on the standard port,
with no user name in them — plus the host of the configured `ESCDESK_SLACK_API_URL` (with its
scheme, any port), so a self-hosted stand-in of Slack and the tests answer too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

SLACK_DOMAIN = "slack.com"


class ResponseUrls:
    def __init__(self, api_url: str | None = None) -> None:
        parts = urlsplit(api_url or "")
        host = (parts.hostname or "").lower()
        self._also = (parts.scheme, host) if host and parts.scheme in ("http", "https") else None

    def allows(self, url: str) -> bool:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:  # a port that is not a number, brackets that do not close
            return False
        host = (parts.hostname or "").lower()
        if not host or not host.isascii() or parts.username is not None:
            return False
        on_slack = host == SLACK_DOMAIN or host.endswith("." + SLACK_DOMAIN)
        if parts.scheme == "https" and on_slack and port in (None, 443):
            return True
        return self._also is not None and (parts.scheme, host) == self._also
