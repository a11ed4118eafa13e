"""Headers every response carries (R-OPS-2): no framing, no type sniffing, no leaked addresses,
and no copy of internal text in a cache.

- `X-Frame-Options: DENY` and CSP `frame-ancestors 'none'`: no other site can frame a page to
  trick a click.
- `X-Content-Type-Options: nosniff`: a ticket export or a text answer is never run as a script.
- `Referrer-Policy: same-origin`: a public status page's address (its token) never leaves for
  another site in a `Referer`; escdesk's own forms still send their origin, which sign-in checks.
- `Cache-Control: no-store` on everything but static files, unless the route chose otherwise:
  trackers, tracker.md, internal JSON and the status API must not rest in a shared or browser
  cache after sign-out.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", b"frame-ancestors 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)
NO_STORE = (b"cache-control", b"no-store")
CACHED_PREFIXES = ("/static/",)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = str(scope.get("path", "")).startswith(CACHED_PREFIXES)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in SECURITY_HEADERS if h[0] not in present]
                if not cacheable and NO_STORE[0] not in present:
                    headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
