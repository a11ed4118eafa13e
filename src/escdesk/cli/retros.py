"""`escdesk retros`: the retrospective of an escalation into Engineering (R-RCA-1, R-RCA-2)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli import parsing, times
from escdesk.cli.after_output import retro_json, share_json
from escdesk.cli.options import AsJson, By
from escdesk.cli.output import console, print_json
from escdesk.cli.runtime import Runtime, runtime
from escdesk.domain.retrospective import Retrospective
from escdesk.services import retrospectives as service
from escdesk.services.retrospectives import RetroRef

app = typer.Typer(
    help="Retrospectives: the timeline from the audit trail, missed opportunities, the root "
    "cause and follow-up actions.",
    no_args_is_help=True,
)

RetroArg = Annotated[
    str,
    typer.Argument(
        metavar="ID",
        help="The retrospective's id, or ESC-12 for escalation 12's.",
        show_default=False,
    ),
]
RetroVersion = Annotated[
    int | None,
    typer.Option("--version", min=0, help="The retrospective's version you last saw."),
]


def ref(value: str) -> RetroRef:
    text = value.strip()
    if text.upper().startswith("ESC"):
        return RetroRef(parsing.escalation_id(text), by_escalation=True)
    return RetroRef(parsing.escalation_id(text))


def _after(state: Runtime, retro: Retrospective, by: str | None, as_json: bool, done: str) -> None:
    assert retro.id is not None
    view = state.read(service.show_retrospective, service.ShowRetrospective(RetroRef(retro.id)), by)
    if as_json:
        print_json(retro_json(view))
    else:
        typer.echo(
            f"Retrospective {retro.id} of ESC-{retro.escalation_id}: {done} (v{retro.version})."
        )


@app.command("list")
def list_(
    ctx: typer.Context,
    all_: Annotated[bool, typer.Option("--all", help="Completed ones too.")] = False,
    as_json: AsJson = False,
) -> None:
    """Open retrospectives, the one due soonest first."""
    state = runtime(ctx)
    found = state.read(service.list_retrospectives, service.ListRetrospectives(all_))
    if as_json:
        print_json(
            {
                "items": [
                    {
                        "id": r.id,
                        "escalation_id": r.escalation_id,
                        "title": title,
                        "status": r.status.value,
                        "due_at": r.due_at.isoformat(),
                        "overdue": r.is_overdue(state.now),
                        "root_cause": r.root_cause.value if r.root_cause else None,
                    }
                    for r, title in found
                ]
            }
        )
        return
    table = Table(title="Retrospectives", title_justify="left")
    for column in ("ID", "Escalation", "Status", "Due", "Root cause", "Follow-ups open"):
        table.add_column(column)
    for r, title in found:
        due = times.date_text(r.due_at) + (" (overdue)" if r.is_overdue(state.now) else "")
        cause = r.root_cause.value if r.root_cause else "-"
        still = str(sum(1 for f in r.follow_ups if not f.done))
        table.add_row(
            str(r.id), f"ESC-{r.escalation_id} {title}", r.status.value, due, cause, still
        )
    console().print(table)


@app.command("show")
def show(ctx: typer.Context, retro: RetroArg, by: By = None, as_json: AsJson = False) -> None:
    """The retrospective with its timeline read from the audit trail."""
    state = runtime(ctx)
    view = state.read(service.show_retrospective, service.ShowRetrospective(ref(retro)), by)
    if as_json:
        print_json(retro_json(view))
        return
    typer.echo(view.markdown, nl=False)


@app.command("export")
def export(
    ctx: typer.Context,
    retro: RetroArg,
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    by: By = None,
) -> None:
    """Markdown for sharing; internal notes only when --by names a reader of internal text."""
    state = runtime(ctx)
    view = state.read(service.show_retrospective, service.ShowRetrospective(ref(retro)), by)
    if out is None:
        typer.echo(view.markdown, nl=False)
    else:
        out.write_text(view.markdown, encoding="utf-8")
        typer.echo(f"Wrote {out}.")


@app.command("annotate")
def annotate(
    ctx: typer.Context,
    retro: RetroArg,
    event: Annotated[int, typer.Argument(metavar="EVENT", min=1, help="The timeline line's id.")],
    note: Annotated[str, typer.Argument(help="The annotation.")],
    version: RetroVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Annotate one line of the timeline."""
    state = runtime(ctx)
    cmd = service.AnnotateTimeline(ref(retro), event, note, version)
    _after(state, state.run(service.annotate_timeline, cmd, by), by, as_json, "annotated")


@app.command("missed")
def missed(
    ctx: typer.Context,
    retro: RetroArg,
    text: Annotated[str, typer.Argument(help="Where it could have been caught earlier.")],
    version: RetroVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Add a missed opportunity."""
    state = runtime(ctx)
    cmd = service.AddMissedOpportunity(ref(retro), text, version)
    _after(state, state.run(service.add_missed_opportunity, cmd, by), by, as_json, "noted")


@app.command("describe")
def describe(
    ctx: typer.Context,
    retro: RetroArg,
    root_cause: Annotated[
        str | None,
        typer.Option(
            "--root-cause",
            help="education, product_bug, design, missing_capability or environment.",
        ),
    ] = None,
    summary: Annotated[str | None, typer.Option("--summary", help="What happened, why.")] = None,
    internal_notes: Annotated[
        str | None, typer.Option("--internal-notes", help="Kept out of shared exports.")
    ] = None,
    version: RetroVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Set the root-cause category, the summary or the internal notes."""
    state = runtime(ctx)
    cmd = service.DescribeRetrospective.parse(
        ref=ref(retro),
        root_cause=root_cause,
        summary=summary,
        internal_notes=internal_notes,
        version=version,
    )
    _after(state, state.run(service.describe_retrospective, cmd, by), by, as_json, "described")


@app.command("follow-up")
def follow_up(
    ctx: typer.Context,
    retro: RetroArg,
    title: Annotated[str, typer.Argument(help="The action.")],
    owner: Annotated[str, typer.Option("--owner", help="Who does it (e-mail or id).")],
    due: Annotated[str, typer.Option("--due", help="ISO 8601, or from now such as +14d.")],
    team: Annotated[str | None, typer.Option("--team", help="Default: the owner's role.")] = None,
    tracker_url: Annotated[
        str | None,
        typer.Option("--tracker-url", help="A tracker issue mirroring it; done when it closes."),
    ] = None,
    version: RetroVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Add a follow-up action with an owner and a due date (R-RCA-2)."""
    state = runtime(ctx)
    due_at = parsing.moment(due, "--due", now=state.now, relative=True)
    cmd = service.AddFollowUp(ref(retro), title, owner, due_at, team, version, tracker_url)
    _after(state, state.run(service.add_follow_up, cmd, by), by, as_json, "follow-up added")


@app.command("done")
def done(
    ctx: typer.Context,
    retro: RetroArg,
    number: Annotated[int, typer.Argument(metavar="N", min=1, help="The follow-up's number.")],
    undo: Annotated[bool, typer.Option("--undo", help="Mark it open again.")] = False,
    version: RetroVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Mark follow-up N done (or open again with --undo)."""
    state = runtime(ctx)
    cmd = service.MarkFollowUp(ref(retro), number, not undo, version)
    word = "follow-up reopened" if undo else "follow-up done"
    _after(state, state.run(service.mark_follow_up, cmd, by), by, as_json, word)


@app.command("create-issue")
def create_issue(
    ctx: typer.Context,
    retro: RetroArg,
    number: Annotated[int, typer.Argument(metavar="N", min=1, help="The follow-up's number.")],
    tracker: Annotated[
        str | None,
        typer.Option("--tracker", help="jira, github or gitlab (default: the one set up)."),
    ] = None,
    project: Annotated[
        str | None,
        typer.Option(
            "--project",
            help="Jira project key, GitHub owner/repo or GitLab project (default: its setting).",
        ),
    ] = None,
    version: RetroVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Mirror follow-up N in a new tracker issue: the worker creates it; done when it closes."""
    state = runtime(ctx)
    target = state.desk.settings.issue_target(tracker, project)
    cmd = service.CreateTrackerIssue(ref(retro), number, target, version)
    word = f"{target.tracker.value} issue in {target.project} queued for follow-up {number}"
    _after(state, state.run(service.create_tracker_issue, cmd, by), by, as_json, word)


@app.command("complete")
def complete(
    ctx: typer.Context,
    retro: RetroArg,
    version: RetroVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Complete it: needs a root cause, a summary and a missed opportunity."""
    state = runtime(ctx)
    cmd = service.CompleteRetrospective(ref(retro), version)
    _after(state, state.run(service.complete_retrospective, cmd, by), by, as_json, "completed")


@app.command("shares")
def shares(ctx: typer.Context, as_json: AsJson = False) -> None:
    """The share of follow-ups done on time, per team and per root-cause category."""
    state = runtime(ctx)
    found = state.read(service.follow_up_shares, service.FollowUpShares())
    if as_json:
        print_json(
            {
                "by_team": {k: share_json(v) for k, v in found.by_team.items()},
                "by_root_cause": {k: share_json(v) for k, v in found.by_root_cause.items()},
            }
        )
        return
    table = Table(title="Follow-ups done on time", title_justify="left")
    for column in ("By", "Name", "On time", "Due", "Share"):
        table.add_column(column)
    for label, group in (("team", found.by_team), ("root cause", found.by_root_cause)):
        for name, share in group.items():
            shown = f"{share.share:.0%}" if share.share is not None else "-"
            table.add_row(label, name, str(share.on_time), str(share.due), shown)
    console().print(table)
