"""Session cookies and CSRF protection, shared by the JSON API and the HTML pages.

A browser holds the session in an HttpOnly cookie. Because a browser sends that cookie with any
request, a mutating request authenticated by the cookie must also prove it came from our own
page: JSON calls send the header `X-CSRF-Token`, HTML forms a hidden `csrf_token` field. Bearer
tokens are never sent by a browser on its own, so they need no CSRF token.
"""

from __future__ import annotations

import hmac

from fastapi import Request, Response

from escdesk.domain.access import SESSION_LIFETIME, Principal
from escdesk.domain.errors import Forbidden
from escdesk.services.auth import csrf_for_session

SESSION_COOKIE = "escdesk_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class CsrfRefused(Forbidden):
    """A cookie-authenticated change came without the session's CSRF token: HTTP 403."""

    code = "csrf_refused"

    def __init__(self) -> None:
        super().__init__(
            f"{CSRF_FIELD}: missing or wrong. Reload the page; API clients send the "
            f"{CSRF_HEADER} header from sign-in, or use an API token"
        )
        self.field = CSRF_FIELD
        self.fix = "Reload the page and submit again"


def _is_https(request: Request) -> bool:
    settings = getattr(request.app.state, "settings", None)
    base_url = getattr(settings, "base_url", "") or ""
    return base_url.startswith("https://")


def set_session_cookie(response: Response, token: str, request: Request | None = None) -> None:
    """HttpOnly so scripts cannot read it, SameSite=Lax so other sites cannot post with it,
    Secure whenever escdesk is served over https (its base_url): pass the request for that."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=request is not None and _is_https(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def csrf_token_for(principal_or_request: Principal | Request) -> str:
    """The value a page puts in its forms' hidden `csrf_token` field ("" when signed out)."""
    if isinstance(principal_or_request, Principal):
        return principal_or_request.csrf_token or ""
    session = principal_or_request.cookies.get(SESSION_COOKIE)
    return csrf_for_session(session) if session else ""


def verify_csrf(request: Request, submitted: str | None) -> None:
    """Refuse a change authenticated by the session cookie unless it echoes the CSRF token.

    A request carrying an `Authorization` header is authenticated by it alone (the cookie is
    ignored), and no other site can make a browser send that header, so it needs no token.
    """
    if request.headers.get("Authorization"):
        return
    expected = csrf_token_for(request)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfRefused()
