"""The web application: the JSON API under /api and the HTML pages at /, side by side.

The two faces never import each other; this module, above both, mounts them on one app with the
shared HTTP layer's error rendering. `create_app()` is what `escdesk serve` runs and what tests
build, with their own settings and engine. OpenAPI lives at /openapi.json, docs at /docs.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from prometheus_client import CollectorRegistry
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
    health,
    links,
    metrics,
    outbox,
    pauses,
    people,
    rankers,
    recurring,
    releases,
    requests,
    retrospectives,
    session,
    status,
    ticket_links,
    tickets,
    tokens,
    webhooks,
)
from escdesk.bootstrap import bootstrap
from escdesk.chat import app as chat
from escdesk.config import Settings
from escdesk.http import api_docs, problems
from escdesk.http.backlog_metrics import BacklogCollector
from escdesk.http.describe import document_problems
from escdesk.http.headers import SecurityHeadersMiddleware
from escdesk.http.limits import BodyLimitMiddleware, BodyLimits
from escdesk.http.observe import ObserveMiddleware, request_histogram
from escdesk.notify.slack_api import SlackApi
from escdesk.store.notify_repository import NotifyStore
from escdesk.store.slack_request_repository import HeardSlackRequests
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
        docs_url=None,  # served by http.api_docs, without a CDN
        redoc_url=None,
    )
    app.state.desk = desk
    app.state.settings = settings
    app.state.engine = engine
    app.state.policy = desk.policy
    document_problems(app)  # the problems each operation can answer, in /openapi.json
    app.add_middleware(BodyLimitMiddleware, limits=BodyLimits.of(settings))
    app.add_middleware(SecurityHeadersMiddleware)
    # Per app, not the process-wide registry: tests build many apps in one process.
    app.state.metrics = registry = CollectorRegistry()
    registry.register(BacklogCollector(engine, lambda: desk.clock()))
    app.add_middleware(ObserveMiddleware, histogram=request_histogram(registry))  # outermost
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
    app.include_router(ticket_links.router, prefix="/api")
    app.include_router(rankers.router, prefix="/api")
    bot_token = settings.secret("slack_bot_token")
    chat.install(
        app,
        signing_secret=settings.secret("slack_signing_secret"),
        heard=HeardSlackRequests(engine),
        web=SlackApi(bot_token, settings.slack_api_url) if bot_token else None,
        channels=NotifyStore(engine),
        api_url=settings.slack_api_url,
    )
    app.include_router(health.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    api_docs.install(app)
    problems.install(app, html_renderer=pages.render_error)
    return app
