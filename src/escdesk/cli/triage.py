"""`escdesk triage`: the next meeting's agenda (R-TRI-1), and recording a meeting as held."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from escdesk.cli import times
from escdesk.cli.options import AsJson, By
from escdesk.cli.output import console, print_json
from escdesk.cli.runtime import runtime
from escdesk.services import triage
from escdesk.services.request_commands import RecordMeeting, TriageAgenda
from escdesk.services.triage_text import agenda_json, agenda_markdown, breakdown_text, progress_line

app = typer.Typer(
    help="Triage meetings: the agenda, and the meeting as held.", no_args_is_help=True
)


@app.command("agenda")
def agenda(
    ctx: typer.Context,
    as_json: AsJson = False,
    markdown: Annotated[
        bool, typer.Option("--markdown", help="Markdown to paste into the meeting document.")
    ] = False,
) -> None:
    """The next meeting: new requests by score with the breakdown, then escalations in progress
    with their ETA against progress; skipped, saying why, when nothing is pending."""
    state = runtime(ctx)
    result = state.read(triage.triage_agenda, TriageAgenda(state.settings.triage_config()))
    if as_json:
        print_json(agenda_json(result))
        return
    if markdown:
        typer.echo(agenda_markdown(result), nl=False)
        return
    out = console()
    when = times.when(result.meeting_at)
    if not result.held:
        out.print(f"Triage meeting {when}: skipped — {result.skipped_reason}.")
        return
    out.print(f"Triage meeting {when} ({result.minutes} minutes)")
    requests = Table(title="New requests, by score")
    for column in ("REQ", "Customer", "Summary", "Score", "Breakdown", "Min", "Waiting"):
        requests.add_column(column)
    for item in result.requests:
        waiting = f"{item.waiting_hours:g} h" + (" ⚑" if item.flagged else "")
        requests.add_row(
            f"REQ-{item.request.id}",
            Text(item.customer),
            Text(item.request.summary),
            str(item.score.total),
            breakdown_text(item.score),
            str(item.minutes),
            waiting,
        )
    out.print(requests)
    escalations = Table(title="Escalations in progress")
    for column in ("ESC", "Customer", "Severity", "DRI", "Progress", "Min"):
        escalations.add_column(column)
    for e in result.escalations:
        p = e.progress
        escalations.add_row(
            f"ESC-{p.id}",
            Text(p.customer),
            p.severity,
            Text(p.dri_name),
            progress_line(p),
            str(e.minutes),
        )
    out.print(escalations)


@app.command("meeting")
def meeting(
    ctx: typer.Context,
    attendee: Annotated[
        list[str], typer.Option("--attendee", help="Who attended (e-mail or id; repeatable).")
    ],
    notes: Annotated[str, typer.Option("--notes", help="Notes of the meeting.")] = "",
    by: By = None,
) -> None:
    """Record the meeting as held now; pass its number to `requests decide --meeting`."""
    number = runtime(ctx).run(triage.record_meeting, RecordMeeting(tuple(attendee), notes), by)
    typer.echo(f"Recorded triage meeting {number}.")
