"""`escdesk db`: see and move the schema revision (R-OPS-1: one Alembic chain for both stores)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from escdesk.cli.runtime import runtime, safe_url
from escdesk.store.backup import backup_sqlite
from escdesk.store.migrate import current_revision, head_revision, upgrade

app = typer.Typer(
    help="Database schema: show the revision, upgrade it; back up SQLite.", no_args_is_help=True
)


@app.command("upgrade")
def upgrade_command(ctx: typer.Context) -> None:
    """Upgrade the database to the revision this escdesk needs (safe to run twice)."""
    state = runtime(ctx)
    engine = state.engine()
    before = current_revision(engine)
    upgrade(engine)
    after = current_revision(engine)
    url = safe_url(state.database_url)
    if before == after:
        typer.echo(f"{url} is already at revision {after}")
    else:
        typer.echo(f"{url} upgraded from revision {before or 'none (empty)'} to {after}")


@app.command("current")
def current_command(ctx: typer.Context) -> None:
    """Show the database's revision and the one this escdesk needs."""
    state = runtime(ctx)
    current, head = current_revision(state.engine()), head_revision()
    verdict = "up to date" if current == head else "needs `escdesk db upgrade`"
    typer.echo(
        f"{safe_url(state.database_url)}: revision {current or 'none (empty)'}, "
        f"escdesk needs {head} ({verdict})"
    )


@app.command("backup")
def backup_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A new file to write the copy to.")],
) -> None:
    """Copy the embedded SQLite database to PATH while escdesk runs (PostgreSQL: pg_dump)."""
    state = runtime(ctx)
    pages = backup_sqlite(state.database_url, path)
    typer.echo(f"{safe_url(state.database_url)} copied to {path} ({pages} pages)")
