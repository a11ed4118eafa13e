"""`escdesk metrics`: the figures of R-MET, computed by the database, as tables, JSON or CSV."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli import parsing, times
from escdesk.cli.options import AsJson
from escdesk.cli.output import console, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.metrics import DEFINITIONS, csv_text, report_json
from escdesk.services.metrics import ShowMetrics, show_metrics

FIELD_FLAGS = {"figure": "--csv", "tier": "--tier"}
"""How this command spells the metrics' fields."""


def metrics_command(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="Start of the period (ISO 8601); 12 weeks ago.")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="End of the period (ISO 8601); now.")
    ] = None,
    severity: Annotated[str | None, typer.Option("--severity", help="Only this severity.")] = None,
    tier: Annotated[str | None, typer.Option("--tier", help="Only accounts of this tier.")] = None,
    dri: Annotated[str | None, typer.Option("--dri", help="Only this DRI's escalations.")] = None,
    csv: Annotated[
        str | None,
        typer.Option("--csv", help=f"Print one figure as CSV: {', '.join(DEFINITIONS)}."),
    ] = None,
    as_json: AsJson = False,
) -> None:
    """The metrics (R-MET): CSAT, volume, time to close, ETA adherence, revenue at risk, fixes."""
    state = runtime(ctx)
    query = ShowMetrics.parse(
        since=parsing.moment(since, "--since", now=state.now) if since else None,
        until=parsing.moment(until, "--until", now=state.now) if until else None,
        severity=severity,
        tier=tier,
        dri=dri,
    )
    report = state.read(show_metrics, query)
    if csv:
        typer.echo(csv_text(report, csv), nl=False)
        return
    if as_json:
        print_json(report_json(report))
        return
    f = report.filter
    typer.echo(f"Metrics from {times.when(f.since)} to {times.when(f.until)}")
    for name, definition in DEFINITIONS.items():
        columns, rows = report.table(name)
        table = Table(title=name.replace("_", " "), title_justify="left", caption=definition)
        for column in columns:
            table.add_column(column.replace("_", " "))
        for row in rows:
            table.add_row(*(str(v) for v in row))
        if not rows:
            table.add_row(*("—" for _ in columns))
        console().print(table)
