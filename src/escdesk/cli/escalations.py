"""`escdesk escalations`: open, read and list escalations (R-ESC-*).

The commands that change an escalation live in `escalation_changes.py` and are registered on
the same `app` here, so the CLI shows one `escalations` group.
"""

from __future__ import annotations

from typing import Annotated

import typer

from escdesk.cli import parsing
from escdesk.cli.options import AsJson, By, EscalationArg, sort_by
from escdesk.cli.output import (
    console,
    detail_json,
    esc_label,
    history_json,
    page_json,
    print_json,
)
from escdesk.cli.registry import LazyGroup
from escdesk.cli.runtime import runtime
from escdesk.services import escalations as service
from escdesk.services.escalation_commands import (
    DueEscalations,
    EscalationHistory,
    ListEscalations,
    OpenEscalation,
    ShowEscalation,
)
from escdesk.services.listing import parse_sort
from escdesk.services.views import ESCALATION_ORDERS


class EscalationsGroup(LazyGroup):
    """Each command is built when it runs (its options, by Typer), and the commands that
    change an escalation are imported then too: a list builds one command and imports none."""

    elsewhere = {
        name: f"escdesk.cli.{target}"
        for name, target in (
            ("open", "escalations:open_"),
            ("list", "escalations:list_"),
            ("due", "escalations:due"),
            ("show", "escalations:show"),
            ("history", "escalations:history"),
            ("update", "escalation_changes:update"),
            ("customer-summary", "escalation_changes:customer_summary"),
            ("severity", "escalation_changes:severity"),
            ("eta", "escalation_changes:eta"),
            ("exit-criteria", "escalation_changes:exit_criteria"),
            ("dri", "escalation_changes:dri"),
            ("monitor", "escalation_changes:monitor"),
            ("close", "escalation_changes:close"),
            ("reopen", "escalation_changes:reopen"),
        )
    }


app = typer.Typer(
    cls=EscalationsGroup,
    help="Escalations: open, update, re-own, close; the board of what is due.",
    no_args_is_help=True,
)


def open_(
    ctx: typer.Context,
    account: Annotated[str, typer.Option("--account", help="Customer account (name or id).")],
    severity: Annotated[str, typer.Option("--severity", help="critical, high, medium or low.")],
    summary: Annotated[str, typer.Option("--summary", help="One line: what is wrong.")],
    ask: Annotated[
        str, typer.Option("--ask", help="The initial ask: what the customer needs from us.")
    ],
    skill: Annotated[
        list[str] | None,
        typer.Option("--skill", help="A skill the work needs (repeatable; at least one)."),
    ] = None,
    kind: Annotated[
        str,
        typer.Option("--kind", help="account (account escalation) or star (ticket attention)."),
    ] = "account",
    route: Annotated[
        str, typer.Option("--route", help="How it came in: support, sales, csm or services.")
    ] = "support",
    product_related: Annotated[
        bool,
        typer.Option(
            "--product-related/--not-product-related",
            help="Product related: high/critical ones need a product DRI and leader.",
        ),
    ] = False,
    dri: Annotated[
        str | None,
        typer.Option("--dri", help="The DRI (e-mail or id); default: who the rules name."),
    ] = None,
    product_dri: Annotated[
        str | None, typer.Option("--product-dri", help="Product DRI (e-mail or id).")
    ] = None,
    product_leader: Annotated[
        str | None,
        typer.Option("--product-leader", help="Product leader: director (high), PLT (critical)."),
    ] = None,
    exit_criterion: Annotated[
        list[str] | None,
        typer.Option("--exit", help="An exit criterion (repeatable)."),
    ] = None,
    eta: Annotated[
        str | None,
        typer.Option("--eta", help="ETA: ISO 8601 (UTC unless an offset) or +3d, +36h."),
    ] = None,
    also: Annotated[
        bool,
        typer.Option(
            "--also", help="Open it although the customer has an open escalation (else refused)."
        ),
    ] = False,
    by: By = None,
) -> None:
    """Open an escalation; the DRI follows R-ESC-2 unless you name one."""
    state = runtime(ctx)
    cmd = OpenEscalation.parse(
        account=account,
        kind=parsing.kind(kind),
        severity=severity,
        route=route,
        summary=summary,
        initial_ask=ask,
        required_skills=skill or [],
        product_related=product_related,
        exit_criteria=exit_criterion or [],
        dri=dri,
        product_dri=product_dri,
        product_leader=product_leader,
        eta=parsing.moment(eta, "--eta", now=state.now, relative=True) if eta else None,
        also=also,
    )
    esc = state.run(service.open_escalation, cmd, by)
    typer.echo(
        f"Opened {esc_label(esc.id)}: {esc.severity} escalation for {esc.customer} in "
        f"{esc.channel} (version {esc.version}). "
        f"See `escdesk escalations show {esc.id}`."
    )


def list_(
    ctx: typer.Context,
    severity: Annotated[str | None, typer.Option("--severity", help="Only this severity.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only this status: opened, active, monitoring, closed."),
    ] = None,
    dri: Annotated[str | None, typer.Option("--dri", help="Only this DRI (e-mail or id).")] = None,
    account: Annotated[
        str | None, typer.Option("--account", help="Only this account (name or id).")
    ] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those with an update overdue now.")
    ] = False,
    include_closed: Annotated[
        bool, typer.Option("--all", help="Include closed escalations.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="At most this many (1–1000).")] = 100,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many first.")] = 0,
    sort: Annotated[str | None, sort_by(ESCALATION_ORDERS)] = None,
    as_json: AsJson = False,
) -> None:
    """The board: open escalations, critical first, with what is due and overdue."""
    state = runtime(ctx)
    query = ListEscalations.parse(
        severity=severity,
        status=status,
        dri=dri,
        account=account,
        include_closed=include_closed,
        overdue_at=state.now if overdue else None,
        limit=limit,
        offset=offset,
        order=parse_sort(sort),
    )
    page = state.read(service.list_escalations, query)
    if as_json:
        print_json(page_json(page, state.now))
    elif not page.items:
        filtered = any((severity, status, dri, account, overdue, include_closed, offset))
        typer.echo("No escalations match." if filtered else "No open escalations.")
    else:
        from escdesk.cli.board import board  # Rich and the board: for a person only

        console().print(board(page, state.now))


def due(
    ctx: typer.Context,
    within: Annotated[
        str, typer.Option("--within", help="Window from now: 90m, 24h, 3d, 2w.")
    ] = "24h",
    dri: Annotated[str | None, typer.Option("--dri", help="Only this DRI (e-mail or id).")] = None,
    as_json: AsJson = False,
) -> None:
    """Open escalations owing an update within the window (overdue ones first in each level)."""
    state = runtime(ctx)
    query = DueEscalations(parsing.window(within, "--within"), dri=dri)
    page = state.read(service.due_escalations, query)
    if as_json:
        print_json(page_json(page, state.now))
    elif not page.items:
        typer.echo(f"Nothing due within {within}.")
    else:
        from escdesk.cli.board import board

        console().print(board(page, state.now, title=f"Updates due within {within}"))


def show(ctx: typer.Context, escalation: EscalationArg, as_json: AsJson = False) -> None:
    """Everything about one escalation: owners, ask, exit criteria, ETA history, updates."""
    state = runtime(ctx)
    query = ShowEscalation(parsing.escalation_id(escalation))
    detail = state.read(service.show_escalation, query)
    if as_json:
        print_json(detail_json(detail, state.now))
    else:
        from escdesk.cli.detail import escalation_view

        console().print(escalation_view(detail, state.now))


def history(
    ctx: typer.Context,
    escalation: EscalationArg,
    limit: Annotated[int, typer.Option("--limit", help="At most this many events.")] = 1000,
    after: Annotated[
        int, typer.Option("--after", metavar="EVENT_ID", help="Only events after this one.")
    ] = 0,
    as_json: AsJson = False,
) -> None:
    """The audit trail of one escalation, oldest first (R-ESC-11)."""
    number = parsing.escalation_id(escalation)
    query = EscalationHistory(number, limit=limit, after_id=after)
    state = runtime(ctx)
    entries = state.read(service.escalation_history, query)
    if as_json:
        print_json(history_json(entries))
    else:
        from escdesk.cli.detail import history_table
        from escdesk.services import people

        everyone = state.read(people.list_people, people.ListPeople())
        names = {p.id: p.name for p in everyone if p.id is not None}
        console().print(history_table(number, entries, limit, names))
