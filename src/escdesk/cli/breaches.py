"""`escdesk breaches`: every missed due moment, once, with how late (R-SLA-3)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli import parsing, times
from escdesk.cli.board import span
from escdesk.cli.options import AsJson
from escdesk.cli.output import Json, console, esc_label, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.services import breaches as service


def report_json(report: service.BreachReport) -> Json:
    now = report.now
    return {
        "items": [
            {
                "id": b.id,
                "escalation_id": b.escalation_id,
                "audience": b.audience,
                "due_at": iso(b.due_at),
                "resolved_at": iso(b.resolved_at),
                "late_seconds": int(b.late_by(now).total_seconds()),
                "severity": b.severity,
                "dri": {"id": b.dri_id, "name": b.dri_name},
                "account": {"id": b.account_id, "name": b.account_name},
            }
            for b in report.items
        ],
        "by_severity": report.by("severity"),
        "by_dri": report.by("dri"),
        "by_account": report.by("account"),
        "open": len(report.open()),
        "as_of": iso(now),
    }


def breaches_command(
    ctx: typer.Context,
    since: Annotated[
        str | None, typer.Option("--since", help="Only due moments from then on (ISO 8601).")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Missed due moments, with how late, by severity, DRI and account."""
    state = runtime(ctx)
    start = parsing.moment(since, "--since", now=state.now) if since else None
    report = state.read(service.list_breaches, service.ListBreaches(since=start))
    if as_json:
        print_json(report_json(report))
        return
    if not report.items:
        typer.echo("No breaches: every due moment was met.")
        return
    table = Table(title="Breaches", title_justify="left")
    for column in ("Escalation", "Update", "Severity", "DRI", "Account", "Due", "Late by"):
        table.add_column(column)
    for b in report.items:
        late = span(b.late_by(report.now)) + ("" if b.resolved_at else " (still)")
        due = times.when(b.due_at)
        row = (esc_label(b.escalation_id), b.audience, b.severity, b.dri_name, b.account_name)
        table.add_row(*row, due, late)
    console().print(table)
    for key in ("severity", "dri", "account"):
        counts = ", ".join(f"{k} {n}" for k, n in report.by(key).items())
        typer.echo(f"by {key}: {counts}")
