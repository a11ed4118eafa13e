"""The web application: the JSON API under /api and the HTML pages at /, side by side.

The two faces never import each other; this module, above both, mounts them on one app with the
shared HTTP layer's error rendering. `create_app()` is what `escdesk serve` runs and what tests
build, with their own settings and engine. OpenAPI lives at /openapi.json, docs at /docs.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

import escdesk
from escdesk.api.routes import (
    accounts,
    breaches,
    calendar_feed,
    calendars,
    contacts,
    escalation_actions,
    escalations,
    fixes,
    links,
    metrics,
    outbox,
    pauses,
    people,
    recurring,
    releases,
    requests,
    retrospectives,
    session,
    status,
    tickets,
    tokens,
    webhooks,
)
from escdesk.bootstrap import bootstrap
from escdesk.config import Settings
from escdesk.http import problems
from escdesk.http.describe import document_problems
from escdesk.http.headers import SecurityHeadersMiddleware
from escdesk.http.limits import BodyLimitMiddleware, BodyLimits
from escdesk.web import routes as pages

STATIC = Path(escdesk.__file__).parent / "web" / "static"

DESCRIPTION = """
The escalation desk's JSON API. Sign in with `POST /api/session` (a session cookie; send the
returned `csrf_token` as the `X-CSRF-Token` header on changes) or send an API token as
`Authorization: Bearer esc_…` (create one with `escdesk tokens create`). Errors are RFC 9457
`application/problem+json` documents that name the field and the fix.
"""


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    desk = bootstrap(settings, engine=engine)
    settings, engine = desk.settings, desk.engine
    app = FastAPI(
        title="escdesk",
        version=escdesk.__version__,
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.desk = desk
    app.state.settings = settings
    app.state.engine = engine
    app.state.policy = desk.policy
    document_problems(app)  # the problems each operation can answer, in /openapi.json
    app.add_middleware(BodyLimitMiddleware, limits=BodyLimits.of(settings))
    app.add_middleware(SecurityHeadersMiddleware)  # added last: outermost, on every answer
    for module in (session, accounts, people, escalations, escalation_actions, status, tokens):
        app.include_router(module.router, prefix="/api")
    for module in (tickets, recurring, outbox):
        app.include_router(module.router, prefix="/api")
    app.include_router(contacts.router, prefix="/api")
    app.include_router(webhooks.router, prefix="/api")
    app.include_router(calendar_feed.router, prefix="/api")
    app.include_router(calendar_feed.public_router)
    app.include_router(calendars.router, prefix="/api")
    app.include_router(pauses.router, prefix="/api")
    app.include_router(breaches.router, prefix="/api")
    app.include_router(requests.router, prefix="/api")
    app.include_router(metrics.router, prefix="/api")  # R-MET
    for module in (retrospectives, fixes, releases, links):
        app.include_router(module.router, prefix="/api")
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    problems.install(app, html_renderer=pages.render_error)
    return app
