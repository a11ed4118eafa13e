"""`escdesk webhooks`: endpoints that receive escdesk's events, signed (Standard Webhooks)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli.options import AsJson
from escdesk.cli.output import console, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.services import webhooks as service
from escdesk.services.acting import DatabaseAdministrator
from escdesk.services.webhooks import WebhookAttempt, WebhookInfo

app = typer.Typer(
    help="Webhook subscriptions: which events go to which URL, and how delivery went.",
    no_args_is_help=True,
)

SubscriptionId = Annotated[
    int, typer.Argument(metavar="ID", min=1, help="The subscription's id (webhooks list).")
]


def webhook_json(info: WebhookInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "url": info.url,
        "event_types": list(info.event_types),
        "description": info.description,
        "created_at": iso(info.created_at),
        "active": info.active,
        "disabled_at": iso(info.disabled_at),
        "disabled_reason": info.disabled_reason,
    }


def attempt_json(attempt: WebhookAttempt) -> dict[str, object]:
    return {
        "message_id": attempt.message_id,
        "webhook_id": attempt.webhook_id,
        "event_type": attempt.event_type,
        "attempted_at": iso(attempt.attempted_at),
        "status_code": attempt.status_code,
        "ok": attempt.ok,
        "error": attempt.error,
        "duration_ms": attempt.duration_ms,
    }


@app.command("add")
def add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The receiver, e.g. https://hooks.example.com/esc.")],
    event: Annotated[
        list[str],
        typer.Option(
            "--event",
            help="An event type to receive (repeatable): escalation.closed, escalation.* or *.",
        ),
    ],
    description: Annotated[
        str, typer.Option("--description", help="What receives them, for the list.")
    ] = "",
    as_json: AsJson = False,
) -> None:
    """Subscribe a URL to event types. The signing secret is printed once: store it now."""
    state = runtime(ctx)
    info, secret = service.add_webhook_now(
        state.uow(),
        service.AddWebhook(url, event, description),
        DatabaseAdministrator(),
        state.now,
    )
    if as_json:
        print_json({"secret": secret, "subscription": webhook_json(info)})
        return
    typer.echo(f"Subscribed {info.url} (id {info.id}) to {', '.join(info.event_types)}.")
    typer.echo("Signing secret (shown once; the receiver verifies webhook-signature with it):")
    typer.echo(secret)


@app.command("list")
def list_(ctx: typer.Context, as_json: AsJson = False) -> None:
    """List subscriptions (never their secrets), disabled ones included."""
    state = runtime(ctx)
    found = service.list_webhooks_now(state.uow(), DatabaseAdministrator(), state.now)
    if as_json:
        print_json({"items": [webhook_json(w) for w in found]})
        return
    table = Table(title="Webhook subscriptions", title_justify="left")
    for column in ("ID", "URL", "Event types", "Active", "Description"):
        table.add_column(column)
    for w in found:
        active = "yes" if w.active else f"no: {w.disabled_reason}"
        table.add_row(str(w.id), w.url, ", ".join(w.event_types), active, w.description)
    console().print(table)


@app.command("remove")
def remove(ctx: typer.Context, subscription_id: SubscriptionId) -> None:
    """Remove a subscription and its delivery log; nothing more is sent to it."""
    state = runtime(ctx)
    service.remove_webhook_now(
        state.uow(), service.RemoveWebhook(subscription_id), DatabaseAdministrator(), state.now
    )
    typer.echo(f"Removed webhook subscription {subscription_id}")


@app.command("log")
def log(
    ctx: typer.Context,
    subscription_id: SubscriptionId,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="How many.")] = 50,
    as_json: AsJson = False,
) -> None:
    """A subscription's delivery attempts, newest first: status, error, time taken."""
    state = runtime(ctx)
    found = service.webhook_log_now(
        state.uow(),
        service.WebhookLog(subscription_id, limit),
        DatabaseAdministrator(),
        state.now,
    )
    if as_json:
        print_json({"items": [attempt_json(a) for a in found]})
        return
    table = Table(title=f"Deliveries to subscription {subscription_id}", title_justify="left")
    for column in ("When", "Event", "Webhook id", "Status", "ms", "Error"):
        table.add_column(column)
    for a in found:
        status = str(a.status_code) if a.status_code else "—"
        when = iso(a.attempted_at) or ""
        table.add_row(when, a.event_type, a.webhook_id, status, str(a.duration_ms), a.error or "")
    console().print(table)
