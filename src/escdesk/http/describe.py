"""The API description tells the truth (R-OPS-4): every operation's OpenAPI entry lists the
problem+json answers it can give, and a 405 names every method of its path.

The answers are read from each route itself: a route that needs a signed-in principal can
answer 401 and 403, a change to a record named in its path 409, one with a body 400 and 413,
every one 404 (the path or a record it names), 422 (bad input) and 503 (database
unavailable). Their body is the RFC 9457 problem of `escdesk.http.problems`, described once as
the `Problem` component; outside /api (the calendar feed) the same answers are pages.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import Match
from starlette.types import Scope

REQUIRED_PERMISSION = "required_permission"
"""The attribute a `require(permission)` dependency marks itself with (see deps.require)."""
PRINCIPAL = "get_principal"
"""The dependency that demands a signed-in principal."""

MEDIA_TYPE = "application/problem+json"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem: what went wrong, and for bad input the field and fix.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "urn:escdesk:problem:invalid_input"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "field": {"type": "string", "description": "The field that is wrong (bad input)."},
        "fix": {"type": "string", "description": "How to correct it."},
        "rule": {"type": "string", "description": "The R-id that refused (process rules)."},
        "missing": {"type": "array", "items": {"type": "string"}},
        "current_version": {"type": ["integer", "null"], "description": "On a conflict."},
        "retry_after": {"type": "integer", "description": "Seconds to wait (throttling)."},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}

ANSWERS = {
    "400": "The body cannot be read (not JSON, or not the form it should be)",
    "401": "Sign-in required: no session or API token, or an unknown one",
    "403": "Forbidden: the principal's roles do not allow this",
    "404": "Not found: the path, or a record the request names",
    "409": "Changed by someone else (a stale version), or refused in this state",
    "413": "The request body is larger than its limit",
    "422": "Invalid input, naming the field and the fix; or refused by a process rule",
    "429": "Too many wrong attempts: wait for Retry-After seconds",
    "503": "The database is unavailable: try again after Retry-After seconds",
}
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
THROTTLED = {("POST", "/api/session")}


def _needs_principal(dependant: Dependant) -> bool:
    stack = [dependant]
    while stack:
        node = stack.pop()
        call = node.call
        if getattr(call, "__name__", "") == PRINCIPAL or getattr(call, REQUIRED_PERMISSION, None):
            return True
        stack.extend(node.dependencies)
    return False


def answers_of(route: APIRoute, path: str, method: str) -> list[str]:
    codes = ["404", "422", "503"]
    if _needs_principal(route.dependant):
        codes += ["401", "403"]
    if method in CHANGES and path.startswith("/api/") and "{" in path:
        codes.append("409")
    if route.body_field is not None:
        codes += ["400", "413"]
    if (method, path) in THROTTLED:
        codes.append("429")
    return sorted(codes)


def document_problems(app: FastAPI) -> None:
    """Replace `app.openapi` with one that adds the problem answers to every operation."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = plain()
        schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
        page = {"text/html": {"schema": {"type": "string"}}}  # outside /api errors are pages
        for context in iter_route_contexts(app.routes):
            route = context.original_route
            if not isinstance(route, APIRoute) or not context.path_format:
                continue
            item = schema.get("paths", {}).get(context.path_format, {})
            for method in context.methods or ():
                operation = item.get(method.lower())
                if operation is None:
                    continue
                responses = operation.setdefault("responses", {})
                for code in answers_of(route, context.path_format, method):
                    content = problem if context.path_format.startswith("/api") else page
                    responses[code] = {"description": ANSWERS[code], "content": content}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def allowed_methods(app: Any, scope: Scope) -> list[str]:
    """Every method some route of this path answers (Starlette names only the first route's)."""
    methods: set[str] = set()
    for context in iter_route_contexts(app.routes):
        route_methods = context.methods
        if route_methods and context.matches(scope)[0] is not Match.NONE:
            methods |= set(route_methods)
    return sorted(methods)
