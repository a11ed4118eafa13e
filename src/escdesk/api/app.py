"""The web application: the JSON API under /api and, when installed, the HTML pages at /.

`create_app()` is what `escdesk serve` runs and what tests build, with their own settings and
engine. OpenAPI lives at /openapi.json, interactive docs at /docs.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Engine

import escdesk
from escdesk.api import problems
from escdesk.api.routes import (
    accounts,
    breaches,
    calendar_feed,
    calendars,
    contacts,
    escalation_actions,
    escalations,
    outbox,
    pauses,
    people,
    recurring,
    session,
    status,
    tickets,
    tokens,
    webhooks,
)
from escdesk.bootstrap import bootstrap
from escdesk.config import Settings

WEB_ROUTES = "escdesk.web.routes"
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
    web = _web_routes()
    if web is not None:
        app.include_router(web.router)
    if STATIC.is_dir():
        app.mount("/static", StaticFiles(directory=STATIC), name="static")
    problems.install(app, html_renderer=getattr(web, "render_error", None))
    return app


def _web_routes():  # type: ignore[no-untyped-def]
    """The HTML pages, if this installation has them (they build on this API's contract)."""
    try:
        return importlib.import_module(WEB_ROUTES)
    except ModuleNotFoundError as exc:
        if exc.name in (WEB_ROUTES, "escdesk.web"):
            return None
        raise
