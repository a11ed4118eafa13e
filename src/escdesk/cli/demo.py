"""`escdesk demo`: a realistic escalation desk in a throw-away SQLite file, then its board.

The demo deletes the file it builds into, so it guards hard against pointing it at real data:
only SQLite files, never the configured database, never a file with non-demo people in it.
"""

from __future__ import annotations

import shlex
import sqlite3
import threading
from pathlib import Path
from typing import Annotated

import typer
from platformdirs import user_data_dir
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from sqlalchemy.engine import make_url

from escdesk.bootstrap import bootstrap
from escdesk.cli.board import board
from escdesk.cli.demo_data import ACCOUNTS, DEMO_DOMAIN, PEOPLE, build, email
from escdesk.cli.demo_stories import STORIES
from escdesk.cli.output import console
from escdesk.cli.runtime import Runtime, runtime
from escdesk.cli.serve import serve_command, served_at
from escdesk.config import APP
from escdesk.domain.access import Actor
from escdesk.domain.errors import InvalidInput
from escdesk.services import auth
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import ListEscalations
from escdesk.services.runner import Runner

OPTION = "--database-url"


def default_demo_url() -> str:
    return f"sqlite:///{Path(user_data_dir(APP)) / 'demo.db'}"


DEMO_PASSWORD = "escdesk-demo"
"""Every demo person signs in with it; the demo file holds nothing worth protecting."""
DEMO_SIGN_IN = "Mei Lin"  # a CSM who runs the critical escalation of the demo


def demo(
    ctx: typer.Context,
    database_url: Annotated[
        str | None,
        typer.Option(
            OPTION,
            help="Where to build the demo (a SQLite file, deleted first). "
            "Default: demo.db in the user data directory, never your escdesk database.",
        ),
    ] = None,
    serve: Annotated[
        bool,
        typer.Option("--serve/--no-serve", help="Then serve the web app on the demo data."),
    ] = False,
    host: Annotated[str, typer.Option("--host", help="Address to serve on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to serve on.")] = 8000,
) -> None:
    """Rebuild a demo database full of realistic escalations, show its board, maybe serve it."""
    state = runtime(ctx)
    url = database_url or default_demo_url()
    path = _disposable_sqlite_file(url, state)
    for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        stale.unlink(missing_ok=True)
    uow = state.uow(url)
    out = console()
    steps = len(PEOPLE) + len(ACCOUNTS) + len(STORIES)
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("Building the demo", total=steps)

        def advance(what: str) -> None:
            progress.update(task, advance=1, description=f"Adding {what}")

        # Whole minutes: the demo's story times read better without seconds.
        now = state.now.replace(second=0, microsecond=0)
        runner = Runner(lambda: uow, lambda: now, state.policy)
        build(runner, STORIES, now=now, progress=advance)
        progress.update(task, description="Setting the demo passwords")
        for name, *_ in PEOPLE:
            auth.set_password(uow, email(name), DEMO_PASSWORD, now)
    page = runner.read(service.list_escalations, ListEscalations(), Actor.system())
    out.print(board(page, state.now, title=f"Demo escalation board ({path})"))
    where = shlex.quote(url)
    first = page.items[0].id if page.items else 1
    typer.echo(
        f"Explore: escdesk --database-url {where} escalations show {first}   "
        f"(also: escalations list --all, escalations due --within 3d, "
        f"escalations history {first})"
    )
    typer.echo(
        f"Sign in to the web app as {email(DEMO_SIGN_IN)} (or any demo person) "
        f"with the password {DEMO_PASSWORD}"
    )
    if serve:
        # A delivery worker beside the web app, as in production (SQLite: one is enough).
        # With no Slack, SMTP or webhook configured, messages stay queued and say so.
        settings = served_at(state.settings, host, port)
        worker = bootstrap(settings, engine=state.engine(url)).worker()
        threading.Thread(target=worker.run, name="escdesk-worker", daemon=True).start()
        serve_command(ctx, host=host, port=port, workers=1, database_url=url)


def _disposable_sqlite_file(url: str, state: Runtime) -> Path:
    """The demo file's path, if deleting it can only ever lose demo data."""
    try:
        parsed = make_url(url)
    except Exception:
        parsed = None
    if parsed is None or parsed.get_backend_name() != "sqlite" or not parsed.database:
        raise InvalidInput(
            OPTION,
            f"{url!r} is not a SQLite file; the demo deletes and rebuilds its database",
            "Give sqlite:///path/to/demo.db, or leave it out",
        )
    if parsed.database == ":memory:":
        raise InvalidInput(OPTION, "the demo needs a file", "Give sqlite:///path/to/demo.db")
    path = Path(parsed.database).expanduser().resolve()
    configured = make_url(state.database_url)
    if configured.get_backend_name() == "sqlite" and configured.database:
        if Path(configured.database).expanduser().resolve() == path:
            raise InvalidInput(
                OPTION,
                f"{path} is your escdesk database and the demo would delete it",
                "Give another file, or leave the option out to use demo.db",
            )
    if path.exists() and not _holds_only_demo_data(path):
        raise InvalidInput(
            OPTION,
            f"{path} holds data the demo did not write, and the demo deletes its file",
            "Give a new file name, or leave the option out to use demo.db",
        )
    return path


def _holds_only_demo_data(path: Path) -> bool:
    """Empty, or an escdesk database whose people all have demo addresses."""
    if path.stat().st_size == 0:
        return True
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master")}
        if not tables:
            return True
        if "people" not in tables:
            return False
        emails = [r[0] for r in connection.execute("SELECT email FROM people")]
    except sqlite3.Error:  # not a database at all: certainly not ours to delete
        return False
    finally:
        connection.close()
    return all(e.endswith(f"@{DEMO_DOMAIN}") for e in emails)
