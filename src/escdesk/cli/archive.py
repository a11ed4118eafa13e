"""`escdesk backup FILE` and `escdesk restore FILE`: the whole desk as a portable archive.

The archive does not depend on the store that wrote it, so the same pair of commands moves a
team from the embedded SQLite to PostgreSQL. Database access is an administrator's power: no
actor is named.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn

from escdesk.cli.output import console
from escdesk.cli.runtime import runtime, safe_url
from escdesk.store import archive


@contextmanager
def _progress(verb: str) -> Iterator[Callable[[str, int], None]]:
    """A spinner that names the table in hand; yields what the archive tells of its progress."""
    columns = (SpinnerColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=console(), transient=True) as shown:
        task = shown.add_task(verb)

        def told(table: str, rows: int) -> None:
            shown.update(task, description=f"{verb} {table}: {rows:,} rows")

        yield told


def backup_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A new archive file (zip) to write.")],
) -> None:
    """Back up the whole desk to a portable archive, while escdesk runs."""
    state = runtime(ctx)
    state.uow()  # the schema this escdesk expects, or a clear error
    with _progress("Backing up") as told:
        summary = archive.back_up(state.engine(), path, told)
    typer.echo(
        f"{safe_url(state.database_url)} backed up to {path}: {summary.total:,} rows in "
        f"{len(summary.rows)} tables, schema revision {summary.revision}"
    )


def restore_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="An archive `escdesk backup` wrote.")],
) -> None:
    """Restore an archive into an empty database; the similar-tickets index is rebuilt.

    The database is a new SQLite file, or PostgreSQL after `escdesk db upgrade`."""
    state = runtime(ctx)
    state.uow()  # a new SQLite file is migrated here; PostgreSQL must be upgraded on purpose
    with _progress("Restoring") as told:
        summary = archive.restore(state.engine(), path, told)
    if summary.rows.get("tickets"):
        from escdesk.cli.similarity_index import ticket_index  # NumPy and SciPy only when needed
        from escdesk.services import tickets

        tickets.reindex(state.uow(), ticket_index(state))
    typer.echo(
        f"{path} restored into {safe_url(state.database_url)}: {summary.total:,} rows in "
        f"{len(summary.rows)} tables, schema revision {summary.revision}"
    )
