"""Every request gets an id and is measured: one log line and one latency sample per answer.

The id is the client's `X-Request-ID` when it is a plain token, else a new one; it is echoed
in the answer, bound for the request's log lines, and written on each outbox row the request
queues, so the worker's log lines for those messages carry it too. Latency is recorded by
route template (`/api/escalations/{escalation_id}`), never by raw path, so the number of
series stays bounded whatever clients send.
"""

from __future__ import annotations

import logging
import time

from prometheus_client import CollectorRegistry, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from escdesk.services.request_context import accepted_or_new, bind_request_id, release_request_id

log = logging.getLogger("escdesk.http")
HEADER = b"x-request-id"
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)


def request_histogram(registry: CollectorRegistry) -> Histogram:
    return Histogram(
        "escdesk_http_request_seconds",
        "Time to answer an HTTP request, by method, route template and status.",
        ["method", "route", "status"],
        buckets=BUCKETS,
        registry=registry,
    )


def route_template(scope: Scope) -> str:
    """The matched route's template with the prefix of the router it was included with
    (`/api` + `/escalations/{escalation_id}`); `unmatched` for a 404 outside every route.

    The route knows its own template only; the prefix is what the raw path has before the
    part the route matched (prefixes hold no parameters)."""
    route = scope.get("route")
    template = getattr(route, "path_format", None) or getattr(route, "path", None)
    if not isinstance(template, str):
        return "unmatched"
    path = str(scope.get("path", ""))
    if path.startswith("/static/"):
        return "/static"
    try:
        matched = template.format(**{k: str(v) for k, v in scope.get("path_params", {}).items()})
    except (KeyError, IndexError, ValueError):
        return template
    if path.endswith(matched):
        return path[: len(path) - len(matched)] + template
    return template


class ObserveMiddleware:
    def __init__(self, app: ASGIApp, histogram: Histogram) -> None:
        self.app = app
        self.histogram = histogram

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = dict(scope.get("headers", [])).get(HEADER)
        request_id = accepted_or_new(offered.decode("latin-1") if offered else None)
        token = bind_request_id(request_id)
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def echo(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != HEADER]
                headers.append((HEADER, request_id.encode("latin-1")))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, echo)
        finally:
            took = time.perf_counter() - started
            route = route_template(scope)
            self.histogram.labels(scope["method"], route, str(status)).observe(took)
            log.info(
                "%s %s %s %.1f ms",
                scope["method"],
                scope.get("path", ""),
                status,
                took * 1000,
                extra={"route": route, "status": status, "duration_ms": round(took * 1000, 1)},
            )
            release_request_id(token)
