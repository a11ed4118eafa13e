"""Limits before work (R-OPS-4): a request body larger than its limit is refused with 413
before anything parses it.

An ASGI middleware, outermost but for the headers: a declared `Content-Length` over the limit
is refused without reading a byte; a body sent without one (chunked) is counted as it streams
and refused the moment it passes the limit — the application then hears that the client went
away, and whatever it would have answered is dropped. Three limits: JSON (and any other
body), forms, and uploads (multipart to the import route, which the form parser spools to a
temporary file rather than memory). The API answers problem+json, the pages a short page.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from html import escape
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:escdesk:problem:"
"""As every problem of escdesk.http.problems: this answer leaves before the app is reached."""

UPLOAD_PATHS = ("/api/tickets/import",)
"""Where a multipart body is a file upload with the upload limit; elsewhere it is a form."""


@dataclass(frozen=True)
class BodyLimits:
    json_bytes: int = 1_048_576
    form_bytes: int = 1_048_576
    upload_bytes: int = 209_715_200

    @classmethod
    def of(cls, settings: Any) -> BodyLimits:
        return cls(settings.max_json_bytes, settings.max_form_bytes, settings.max_upload_bytes)

    def for_request(self, path: str, content_type: str) -> tuple[int, str]:
        """The limit of this body and what to call it in the refusal."""
        kind = content_type.split(";", 1)[0].strip().lower()
        if kind == "multipart/form-data":
            if path in UPLOAD_PATHS:
                return self.upload_bytes, "an upload"
            return self.form_bytes, "a form"
        if kind == "application/x-www-form-urlencoded":
            return self.form_bytes, "a form"
        return self.json_bytes, "a request body"


def size_text(size: int) -> str:
    for unit, factor in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, limits: BodyLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        path: str = scope.get("path", "")
        limit, what = self.limits.for_request(path, headers.get("content-type", ""))
        declared = headers.get("content-length", "").strip()
        if declared and (not declared.isascii() or not declared.isdigit()):
            await _refuse(send, path, 400, "Content-Length is not a number of bytes")
            return
        if declared and int(declared) > limit:
            await _refuse(send, path, 413, _too_large(what, limit))
            return

        received = 0
        refused = False
        started = False

        async def counted_receive() -> Message:
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    refused = True
                    if not started:
                        await _refuse(send, path, 413, _too_large(what, limit))
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused:
                return  # the 413 went out; what the application says now nobody asked for
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, guarded_send)
        except Exception:
            if not refused:
                raise


def _too_large(what: str, limit: int) -> str:
    return f"{what} larger than {size_text(limit)} is refused"


async def _refuse(send: Send, path: str, status: int, detail: str) -> None:
    title = "Request too large" if status == 413 else "Bad request"
    if path.startswith("/api"):
        body = json.dumps(
            {
                "type": TYPE_PREFIX + ("too_large" if status == 413 else "bad_request"),
                "title": title,
                "status": status,
                "detail": detail,
                "fix": "Send less at once (split the file, or shorten the text)",
            }
        ).encode()
        media = MEDIA_TYPE
    else:
        body = _page(title, detail).encode()
        media = "text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", media.encode()),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


def _page(title: str, detail: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{escape(title)} · escdesk</title><link rel="stylesheet" '
        'href="/static/escdesk.css"></head><body><main><h1>'
        f"{escape(title)}</h1><p>{escape(detail[:1].upper() + detail[1:])}: what you sent was "
        "not read. Send less at once, and go back to try again.</p>"
        '<p><a href="/">Back to the desk</a></p></main></body></html>'
    )
