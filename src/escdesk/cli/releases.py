"""`escdesk releases`: interim releases between major releases (R-FIX-1, R-FIX-2)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli.after_output import release_json
from escdesk.cli.options import AsJson, By
from escdesk.cli.output import console, print_json
from escdesk.cli.runtime import Runtime, runtime
from escdesk.domain.errors import InvalidInput
from escdesk.domain.releases import Release
from escdesk.services import releases as service

app = typer.Typer(
    help="Interim releases: accepted fixes in Support's priority order, shipped with notes.",
    no_args_is_help=True,
)

ReleaseArg = Annotated[str, typer.Argument(metavar="RELEASE", help="Its id or version.")]
FixArg = Annotated[int, typer.Argument(metavar="FIX", min=1, help="The fix's id.")]
Revision = Annotated[
    int | None, typer.Option("--revision", min=0, help="The release's revision you last saw.")
]


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("--on", f"{value!r} is not a date", "Use YYYY-MM-DD") from None


def _shown(state: Runtime, release: Release, as_json: bool, word: str) -> None:
    view = state.read(service.show_release, service.ShowRelease(release.version))
    if as_json:
        print_json(release_json(view.release, view))
        return
    order = ", ".join(str(i) for i in view.release.fix_ids) or "none"
    typer.echo(
        f"{release.version} {word} (revision {view.release.revision}); fixes in order: {order}."
    )


@app.command("plan")
def plan(
    ctx: typer.Context,
    version: Annotated[str, typer.Argument(help="The version, e.g. 4.2.1.")],
    on: Annotated[str, typer.Option("--on", help="The planned date, YYYY-MM-DD.")],
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Plan an interim release."""
    state = runtime(ctx)
    release = state.run(service.plan_release, service.PlanRelease(version, _day(on)), by)
    _shown(state, release, as_json, "planned")


@app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Interim releases by planned date."""
    found = runtime(ctx).read(service.list_releases, service.ListReleases())
    if as_json:
        print_json({"items": [release_json(r) for r in found]})
        return
    table = Table(title="Interim releases", title_justify="left")
    for column in ("ID", "Version", "Planned", "Status", "Fixes"):
        table.add_column(column)
    for r in found:
        table.add_row(
            str(r.id), r.version, r.planned_on.isoformat(), r.status.value, str(len(r.fix_ids))
        )
    console().print(table)


@app.command("show")
def show(ctx: typer.Context, release: ReleaseArg, as_json: AsJson = False) -> None:
    """The release's contents in priority order and its release notes."""
    view = runtime(ctx).read(service.show_release, service.ShowRelease(release))
    if as_json:
        print_json(release_json(view.release, view))
        return
    typer.echo(view.notes, nl=False)


@app.command("add")
def add(
    ctx: typer.Context,
    release: ReleaseArg,
    fix: FixArg,
    revision: Revision = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Add an accepted fix (it ranks last)."""
    state = runtime(ctx)
    found = state.run(service.add_to_release, service.AddToRelease(release, fix, revision), by)
    _shown(state, found, as_json, f"now holds fix {fix}")


@app.command("remove")
def remove(
    ctx: typer.Context, release: ReleaseArg, fix: FixArg, by: By = None, as_json: AsJson = False
) -> None:
    """Take a fix out of a planned release."""
    state = runtime(ctx)
    found = state.run(service.remove_from_release, service.RemoveFromRelease(release, fix), by)
    _shown(state, found, as_json, f"no longer holds fix {fix}")


@app.command("rank")
def rank(
    ctx: typer.Context,
    release: ReleaseArg,
    fix: FixArg,
    position: Annotated[int, typer.Argument(min=1, help="1 ships first.")],
    revision: Revision = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """R-FIX-2: move a fix to a position in the priority order."""
    state = runtime(ctx)
    cmd = service.RankFix(release, fix, position, revision)
    _shown(state, state.run(service.rank_fix, cmd, by), as_json, "reordered")


@app.command("ship")
def ship(
    ctx: typer.Context,
    release: ReleaseArg,
    revision: Revision = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Ship: fixes shipped, recurring issues marked fixed, everyone waiting told."""
    state = runtime(ctx)
    found = state.run(service.ship_release, service.ShipRelease(release, revision), by)
    _shown(state, found, as_json, "shipped")
