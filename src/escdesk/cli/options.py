"""Options several commands share, declared once so their names and help never drift."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any

import typer

AsJson = Annotated[
    bool,
    typer.Option("--json", help="Print stable JSON (sorted keys, UTC ISO 8601) for scripts."),
]
EscalationArg = Annotated[
    str, typer.Argument(metavar="ID", help="Escalation id: 12 or ESC-12.", show_default=False)
]
Version = Annotated[
    int | None,
    typer.Option(
        "--version",
        min=0,
        help="The version you last saw (list/show print it); if someone changed the "
        "escalation since, the change is refused as a conflict instead of overwriting theirs.",
    ),
]
By = Annotated[
    str | None,
    typer.Option(
        "--by",
        envvar="ESCDESK_ACTOR",
        show_envvar=True,
        help="Who is making the change (e-mail or id), recorded in the audit trail.",
    ),
]
Reason = Annotated[
    str, typer.Option("--reason", help="Why: kept in the audit trail.", show_default=False)
]


def sort_by(columns: Sequence[str]) -> Any:
    """`--sort` of a list, naming the columns it offers (the API's `sort`, the pages' headers)."""
    return typer.Option(
        "--sort",
        metavar="COLUMN",
        help=f"Order by a column, -column for descending: {', '.join(columns)}.",
    )
