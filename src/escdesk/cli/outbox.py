"""`escdesk outbox` and `escdesk worker`: see what waits for delivery, and deliver it (R-OPS-3)."""

from __future__ import annotations

import signal
from typing import Annotated, Any

import typer
from rich.table import Table

from escdesk.cli import times
from escdesk.cli.options import AsJson, By, sort_by
from escdesk.cli.output import console, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.errors import InvalidInput
from escdesk.domain.values import MAX_ID
from escdesk.logs import configure_logging
from escdesk.notify.metrics import serve_metrics
from escdesk.services import outbox as service
from escdesk.services.listing import parse_sort
from escdesk.services.views import OutboxItem

app = typer.Typer(help="The outbox: messages waiting for delivery, failed or dead.")


def item_json(item: OutboxItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "kind": item.kind,
        "destination": item.destination,
        "state": item.state,
        "attempts": item.attempts,
        "subject": {"type": item.subject_type, "id": item.subject_id},
        "created_at": iso(item.created_at),
        "next_attempt_at": iso(item.next_attempt_at),
        "delivered_at": iso(item.delivered_at),
        "last_error": item.last_error,
        "receipt": item.receipt,
    }


@app.command("list")
def list_(
    ctx: typer.Context,
    state: Annotated[
        str | None,
        typer.Option("--state", help="Only this state: pending, failed, dead or delivered."),
    ] = None,
    escalation: Annotated[
        int | None, typer.Option("--escalation", min=1, help="Only this escalation's messages.")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", help="At most this many (1–1000).")] = 100,
    sort: Annotated[str | None, sort_by(service.OUTBOX_ORDERS)] = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Messages newest first, with how many are in each state."""
    query = service.ListOutbox.parse(
        state=state, limit=limit, escalation_id=escalation, order=parse_sort(sort)
    )
    summary = runtime(ctx).read(service.list_outbox, query, by)
    if as_json:
        print_json({"counts": summary.counts, "items": [item_json(i) for i in summary.items]})
        return
    counts = ", ".join(f"{n} {s}" for s, n in summary.counts.items())
    table = Table(title=f"Outbox ({counts})", title_justify="left")
    for column in ("ID", "State", "Kind", "To", "Tries", "Written", "Last error"):
        table.add_column(column)
    for i in summary.items:
        table.add_row(
            str(i.id),
            i.state,
            i.kind,
            i.destination,
            str(i.attempts),
            times.when(i.created_at),
            (i.last_error or "")[:60],
        )
    console().print(table)


@app.command("retry")
def retry(
    ctx: typer.Context,
    message: Annotated[
        int, typer.Argument(metavar="ID", min=1, max=MAX_ID, help="The message to send again.")
    ],
    by: By = None,
) -> None:
    """Queue a dead or failing message again, to be tried now (recorded in the trail)."""
    item = runtime(ctx).run(service.retry_message, service.RetryMessage(message), by)
    typer.echo(f"Message {item.id} ({item.kind} to {item.destination}) is queued again.")


def worker_command(
    ctx: typer.Context,
    once: Annotated[
        bool, typer.Option("--once", help="Deliver what is due now, then exit (for scripts).")
    ] = False,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            "--metrics-port",
            help="Serve this worker's Prometheus metrics (deliveries, pass times) on this port.",
        ),
    ] = None,
) -> None:
    """Deliver the outbox to Slack, e-mail, calendars and webhooks, and run the reminders.

    Runs until stopped; SIGTERM or Ctrl-C finish the delivery in hand, then exit. On SQLite run
    one worker; on PostgreSQL run as many as you like — no message is delivered twice.
    """
    state = runtime(ctx)
    if metrics_port is not None and not 0 < metrics_port < 65536:
        raise InvalidInput("metrics_port", f"{metrics_port} is not a TCP port", "Use 1 to 65535")
    configure_logging(state.settings.log_format)
    worker = state.desk.worker()
    if metrics_port is not None:
        serve_metrics(metrics_port)
    if once:
        typer.echo(f"Delivered or tried {worker.run_once()} message(s).")
        return
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: worker.stopping.set())
    kinds = ", ".join(sorted(worker.kinds)) or "nothing (no transport is configured)"
    typer.echo(f"escdesk worker {worker.name}: delivering {kinds}")
    worker.run()
