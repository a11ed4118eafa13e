"""Secrets in the settings: refused at start-up when they are copied placeholders or are not
the kind of token the setting names, so a misconfigured desk stops with the variable named
instead of failing at its first delivery."""

from __future__ import annotations

from pydantic import SecretStr

from escdesk.domain.errors import InvalidInput

_PLACEHOLDERS = ("your", "changeme", "change-me", "xxxx", "token-here", "example")


def password_of(url: str) -> str | None:
    """The password written in a database URL, if any (never logged)."""
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).password
    except ValueError:
        return None


def refuse_placeholder(secret: str | None, setting: str) -> None:
    """A secret copied from an example (`changeme`, `your-token`) is refused at start-up."""
    if secret and any(word in secret.lower() for word in _PLACEHOLDERS):
        raise InvalidInput(setting, "holds a placeholder secret", "Set the real secret")


def check_token(token: SecretStr | None, setting: str, prefix: str, kind: str) -> None:
    if token is None:
        return
    value = token.get_secret_value()
    if not value.startswith(prefix):
        raise InvalidInput(
            setting,
            f"is not a Slack {kind} token (it should start with {prefix})",
            "Copy it from the Slack app's OAuth & Permissions page",
        )
    if any(word in value.lower() for word in _PLACEHOLDERS):
        raise InvalidInput(setting, "is a placeholder", "Set the app's real token")
