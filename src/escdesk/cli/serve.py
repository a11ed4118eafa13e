"""`escdesk serve`: the web app and JSON API, served by uvicorn.

Several workers are separate processes; each builds the app with `create_app()` from the same
settings, which is why the database URL and the address served are handed over through
`ESCDESK_DATABASE_URL` and `ESCDESK_BASE_URL`.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from typing import Annotated

import typer
import uvicorn

from escdesk.cli.runtime import runtime
from escdesk.config import Settings, load_settings
from escdesk.domain.errors import EscdeskError, InvalidInput
from escdesk.logs import configure_logging, logging_config
from escdesk.store.database import make_engine
from escdesk.store.migrate import current_revision, head_revision, upgrade

APP_FACTORY = "escdesk.asgi:create_app"


def prepare_database(database_url: str) -> None:
    """Serve only a database at the revision this escdesk needs: SQLite (single-user) is
    upgraded in place, a shared PostgreSQL only on purpose with `escdesk db upgrade`."""
    engine = make_engine(database_url)
    try:
        current, head = current_revision(engine), head_revision()
        if current == head:
            return
        if engine.dialect.name == "sqlite":
            upgrade(engine)
            return
        raise EscdeskError(
            f"the database is at revision {current or 'none (empty)'}, escdesk needs {head}: "
            "run `escdesk db upgrade`"
        )
    finally:
        engine.dispose()


def served_at(settings: Settings, host: str, port: int) -> Settings:
    """Links in messages and pages point at the address actually served, unless `base_url`
    (ESCDESK_BASE_URL, the config file) names the public one, as behind a proxy it must."""
    if "base_url" in settings.model_fields_set:
        return settings
    shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
    shown = f"[{shown}]" if ":" in shown else shown
    return settings.model_copy(update={"base_url": f"http://{shown}:{port}"})


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", help="Worker processes (PostgreSQL: one per core).")
    ] = 1,
    database_url: Annotated[
        str | None,
        typer.Option(
            "--database-url",
            envvar="ESCDESK_DATABASE_URL",
            help="SQLAlchemy URL of the store; default: the database_url setting.",
        ),
    ] = None,
) -> None:
    """Serve the web app and the JSON API (docs at /docs)."""
    if not 0 < port < 65536:
        raise InvalidInput("port", f"{port} is not a TCP port", "Use 1 to 65535")
    if workers < 1:
        raise InvalidInput("workers", "must be at least 1", "Use --workers 1 or more")
    # `escdesk --database-url URL serve` gives it to the root command; either place works.
    settings = load_settings(database_url=database_url or runtime(ctx).database_url_option)
    settings = served_at(settings, host, port)
    prepare_database(settings.database_url)
    os.environ["ESCDESK_DATABASE_URL"] = settings.database_url
    os.environ["ESCDESK_BASE_URL"] = settings.base_url
    typer.echo(f"escdesk on http://{host}:{port} (API docs at /docs), {workers} worker(s)")
    configure_logging(settings.log_format)
    # SIGTERM: uvicorn stops accepting, lets requests in flight finish (at most 30 s), then
    # raises the signal again under the handler it found — this one: a clean stop is exit 0.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=logging_config(settings.log_format),
        access_log=False,  # escdesk.http logs each request, with its request id
        timeout_graceful_shutdown=30,
        proxy_headers=True,
    )
