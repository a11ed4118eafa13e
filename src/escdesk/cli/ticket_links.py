"""`escdesk tickets link`: say two tickets are duplicates, or not related (R-REC-2)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from escdesk.cli.options import AsJson, By
from escdesk.cli.output import console, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.ticket_judgement import Verdict
from escdesk.services import ticket_judgements as service


def link(
    ctx: typer.Context,
    ticket: Annotated[str, typer.Argument(metavar="ID", help="The ticket (helpdesk id).")],
    other: Annotated[str, typer.Argument(metavar="OTHER", help="The ticket it was shown beside.")],
    verdict: Annotated[
        str,
        typer.Option("--as", metavar="VERDICT", help="duplicate (the default) or not-related."),
    ] = "duplicate",
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Link a ticket to the earlier one it duplicates, or say search was wrong about the pair:
    similar-ticket results show the duplicate first and the unrelated one no more."""
    cmd = service.JudgePair.parse(ticket, other, verdict)
    judged = runtime(ctx).run(service.judge_pair, cmd, by)
    j = judged.judgement
    if as_json:
        print_json(
            {
                "ticket": judged.ticket.key,
                "other": judged.other.key,
                "verdict": j.verdict.value,
                "judged_at": iso(j.judged_at),
                "replaced": judged.replaced,
            }
        )
        return
    words = "a duplicate of" if j.verdict is Verdict.DUPLICATE else "not related to"
    again = " (replacing the earlier verdict)" if judged.replaced else ""
    console().print(Text(f"{judged.ticket.key} is {words} {judged.other.key}{again}."))
