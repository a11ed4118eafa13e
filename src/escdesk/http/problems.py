"""Every error of the HTTP interface becomes an RFC 9457 problem here, and nowhere else.

Body: `type`, `title`, `status`, `detail`, plus `field` and `fix` for bad input, `rule` and
`missing` for a refused process rule, `current_version` for a conflict. Unexpected exceptions
become a 500 problem that names nothing of the internals; the traceback goes to the log only.

Pages may render errors as HTML: if `escdesk.web.routes` defines
`render_error(request, problem: dict) -> Response | None`, it is asked first for requests
outside /api (returning None falls back to problem+json).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from escdesk.domain.access import SignInRequired
from escdesk.domain.errors import (
    AlreadyOpen,
    Conflict,
    DatabaseUnavailable,
    EscdeskError,
    Forbidden,
    InvalidInput,
    NotFound,
    RuleRefused,
    StateRefused,
    TooManyAttempts,
)
from escdesk.http.describe import allowed_methods
from escdesk.http.headers import NO_STORE, SECURITY_HEADERS

log = logging.getLogger("escdesk.api")

MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:escdesk:problem:"

STATUS: list[tuple[type[EscdeskError], int, str]] = [
    (InvalidInput, 422, "Invalid input"),
    (NotFound, 404, "Not found"),
    (Conflict, 409, "Changed by someone else"),
    (SignInRequired, 401, "Sign-in required"),
    (Forbidden, 403, "Forbidden"),
    (RuleRefused, 422, "Refused by a process rule"),
    (AlreadyOpen, 409, "The customer has an open escalation"),
    (StateRefused, 409, "Refused in this state"),
    (TooManyAttempts, 429, "Too many attempts"),
    (DatabaseUnavailable, 503, "Database unavailable"),
]

UNAVAILABLE_DETAIL = (
    "the database is unavailable, so escdesk cannot answer this now; nothing was changed. "
    "Try again after the number of seconds in Retry-After"
)
"""Said to a client instead of the database's address, which is for the server log."""

HtmlRenderer = Callable[[Request, dict[str, Any]], Response | None]


def problem_body(exc: EscdeskError) -> dict[str, Any]:
    """The problem document of a domain error (pinned by tests/api/test_problems.py)."""
    status, title = 400, "Bad request"
    for kind, code, text in STATUS:
        if isinstance(exc, kind):
            status, title = code, text
            break
    body: dict[str, Any] = {
        "type": TYPE_PREFIX + exc.code,
        "title": title,
        "status": status,
        "detail": exc.message,
    }
    if isinstance(exc, DatabaseUnavailable):  # the database's address is for the server log
        body.update(detail=UNAVAILABLE_DETAIL)
    if isinstance(exc, TooManyAttempts):
        body.update(retry_after=exc.retry_after)
    if isinstance(exc, InvalidInput):
        body.update(field=exc.field, fix=exc.fix)
    elif isinstance(exc, RuleRefused):
        body.update(
            rule=exc.rule_id,
            missing=[need.what for need in exc.missing],
            needs=[{"need": need.what, "fields": list(need.fields)} for need in exc.missing],
        )
    elif isinstance(exc, Conflict):
        body.update(current_version=exc.current_version)
    elif isinstance(exc, AlreadyOpen):
        body.update(field=exc.field, fix=exc.fix, open_escalation=exc.escalation_id)
    elif field := getattr(exc, "field", None):
        body.update(field=field, fix=getattr(exc, "fix", ""))
    return body


def _field_of(location: tuple[Any, ...] | list[Any]) -> str:
    """`("body", "eta")` → "eta"; a whole missing body → "body"."""
    parts = [str(p) for p in location if p not in ("body", "query", "path", "header", "cookie")]
    return ".".join(parts) or (str(location[0]) if location else "request")


def validation_body(exc: RequestValidationError) -> dict[str, Any]:
    errors = exc.errors()
    first = errors[0] if errors else {"loc": ("request",), "msg": "is not valid"}
    field = _field_of(tuple(first.get("loc", ())))
    message = str(first.get("msg", "is not valid"))
    return {
        "type": TYPE_PREFIX + "invalid_input",
        "title": "Invalid input",
        "status": 422,
        "detail": f"{field}: {message}",
        "field": field,
        "fix": "Correct this field as the API documentation (/docs) describes",
        "errors": [
            {"field": _field_of(tuple(e.get("loc", ()))), "problem": str(e.get("msg", ""))}
            for e in errors
        ],
    }


def install(app: FastAPI, html_renderer: HtmlRenderer | None = None) -> None:
    """Register the one set of handlers on `app`."""

    def respond(
        request: Request, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> Response:
        if html_renderer is not None and not request.url.path.startswith("/api"):
            page = html_renderer(request, body)
            if page is not None:
                return page
        return JSONResponse(
            body, status_code=body["status"], media_type=MEDIA_TYPE, headers=headers
        )

    @app.exception_handler(EscdeskError)
    async def escdesk_error(request: Request, exc: EscdeskError) -> Response:
        body = problem_body(exc)
        headers = {"WWW-Authenticate": "Bearer"} if body["status"] == 401 else None
        if isinstance(exc, DatabaseUnavailable):
            log.warning("%s %s: %s", request.method, request.url.path, exc.message)
            headers = {"Retry-After": str(request.app.state.settings.unavailable_retry_after)}
        elif isinstance(exc, TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return respond(request, body, headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, validation_body(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """Only the router raises these (unknown path, wrong method): our routes never do."""
        detail = exc.detail if isinstance(exc.detail, str) else "request refused"
        body = {
            "type": TYPE_PREFIX + f"http_{exc.status_code}",
            "title": detail,
            "status": exc.status_code,
            "detail": f"{request.method} {request.url.path}: {detail}",
        }
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request.app, request.scope))
        return respond(request, body, headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        body = {
            "type": TYPE_PREFIX + "internal_error",
            "title": "Internal error",
            "status": 500,
            "detail": "escdesk failed to answer this request; the error is in the server log",
        }
        response = respond(request, body)
        # This answer leaves from outside every middleware: give it their headers here.
        for name, value in (*SECURITY_HEADERS, NO_STORE):
            response.headers[name.decode()] = value.decode()
        return response
