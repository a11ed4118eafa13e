"""`escdesk fixes`: support-written fixes and Engineering's review queue (R-FIX-1, R-FIX-3)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli import parsing, times
from escdesk.cli.after_output import fix_json
from escdesk.cli.options import AsJson, By
from escdesk.cli.output import console, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.errors import InvalidInput
from escdesk.domain.fixes import Fix
from escdesk.services import fixes as service

app = typer.Typer(
    help="Support-written fixes: attach a patch, a pull/merge request or a workaround; "
    "Engineering reviews them in a queue.",
    no_args_is_help=True,
)

FixArg = Annotated[int, typer.Argument(metavar="ID", min=1, help="The fix's id.")]
FixVersion = Annotated[
    int | None, typer.Option("--version", min=0, help="The fix's version you last saw.")
]
PatchFile = Annotated[
    Path | None, typer.Option("--patch-file", help="Read the patch (or workaround) from a file.")
]
Content = Annotated[str | None, typer.Option("--content", help="The patch or workaround text.")]
Url = Annotated[str | None, typer.Option("--url", help="The pull or merge request.")]


def _content(content: str | None, patch_file: Path | None) -> str | None:
    if patch_file is None:
        return content
    try:
        return patch_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "--patch-file", f"cannot be read: {exc}", "Give a UTF-8 text file"
        ) from None


def _table(title: str, found: list[Fix]) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("ID", "Title", "Kind", "Status", "For", "Submitted"):
        table.add_column(column)
    for f in found:
        about = " ".join(
            ([f"REQ-{f.request_id}"] if f.request_id else [])
            + ([f"ESC-{f.escalation_id}"] if f.escalation_id else [])
            + ([f"issue {f.recurring_issue_id}"] if f.recurring_issue_id else [])
        )
        table.add_row(
            str(f.id), f.title, f.kind.value, f.status.value, about, times.date_text(f.submitted_at)
        )
    console().print(table)


def _done(fix: Fix, as_json: bool, word: str) -> None:
    if as_json:
        print_json(fix_json(fix))
    else:
        typer.echo(f"Fix {fix.id} {word} ({fix.status.value}, v{fix.version}).")


@app.command("submit")
def submit(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="What the fix does.")],
    kind: Annotated[str, typer.Option("--kind", help="patch, pull_request or workaround.")],
    escalation: Annotated[
        str | None, typer.Option("--escalation", help="The escalation it fixes (12 or ESC-12).")
    ] = None,
    issue: Annotated[
        int | None, typer.Option("--issue", min=1, help="The recurring issue it fixes.")
    ] = None,
    request: Annotated[
        str | None, typer.Option("--request", help="The request it answers (7 or REQ-7).")
    ] = None,
    url: Url = None,
    content: Content = None,
    patch_file: PatchFile = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Attach a fix to a request, an escalation or a recurring issue: into the review queue."""
    state = runtime(ctx)
    cmd = service.SubmitFix.parse(
        title=title,
        kind=kind,
        content=_content(content, patch_file),
        url=url,
        escalation_id=parsing.escalation_id(escalation) if escalation else None,
        recurring_issue_id=issue,
        request_id=parsing.request_id(request) if request else None,
    )
    _done(state.run(service.submit_fix, cmd, by), as_json, "submitted for review")


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="submitted, changes_requested, accepted, rejected or shipped."
        ),
    ] = None,
    escalation: Annotated[
        str | None, typer.Option("--escalation", help="Only fixes of this escalation.")
    ] = None,
    issue: Annotated[
        int | None, typer.Option("--issue", min=1, help="Only fixes of this recurring issue.")
    ] = None,
    request: Annotated[
        str | None, typer.Option("--request", help="Only fixes of this request.")
    ] = None,
    as_json: AsJson = False,
) -> None:
    """Fixes, oldest first."""
    state = runtime(ctx)
    query = service.ListFixes.parse(
        status=status,
        escalation_id=parsing.escalation_id(escalation) if escalation else None,
        recurring_issue_id=issue,
        request_id=parsing.request_id(request) if request else None,
    )
    found = state.read(service.list_fixes, query)
    if as_json:
        print_json({"items": [fix_json(f) for f in found]})
        return
    _table("Fixes", found)


@app.command("queue")
def queue(ctx: typer.Context, as_json: AsJson = False) -> None:
    """Engineering's review queue: submitted fixes, oldest first."""
    found = runtime(ctx).read(service.review_queue, service.ListFixes())
    if as_json:
        print_json({"items": [fix_json(f) for f in found]})
        return
    _table("Review queue", found)


@app.command("show")
def show(ctx: typer.Context, fix: FixArg, as_json: AsJson = False) -> None:
    """One fix: its link, its review and its patch or workaround."""
    found = runtime(ctx).read(service.show_fix, service.ShowFix(fix))
    if as_json:
        print_json(fix_json(found))
        return
    typer.echo(f"Fix {found.id}: {found.title} [{found.kind.value}, {found.status.value}]")
    if found.url:
        typer.echo(found.url)
    if found.review_note:
        typer.echo(f"Review: {found.review_note}")
    if found.content:
        typer.echo(found.content)


@app.command("review")
def review(
    ctx: typer.Context,
    fix: FixArg,
    decision: Annotated[str, typer.Option("--decision", help="accept, ask_for_changes or reject.")],
    reason: Annotated[
        str | None, typer.Option("--reason", help="Needed to ask for changes or reject.")
    ] = None,
    version: FixVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Engineering's decision; the author is told by e-mail."""
    state = runtime(ctx)
    cmd = service.ReviewFix.parse(fix_id=fix, decision=decision, reason=reason, version=version)
    _done(state.run(service.review_fix, cmd, by), as_json, "reviewed")


@app.command("revise")
def revise(
    ctx: typer.Context,
    fix: FixArg,
    url: Url = None,
    content: Content = None,
    patch_file: PatchFile = None,
    version: FixVersion = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Send a new version after changes were asked; it returns to the queue."""
    state = runtime(ctx)
    cmd = service.ReviseFix(fix, _content(content, patch_file), url, version)
    _done(state.run(service.revise_fix, cmd, by), as_json, "revised")


@app.command("lead-time")
def lead_time(ctx: typer.Context, as_json: AsJson = False) -> None:
    """R-FIX-3: time from the first report to the release that shipped each fix."""
    found = runtime(ctx).read(service.lead_time_report, service.LeadTimeReport())
    if as_json:
        s = found.summary
        print_json(
            {
                "shipped": s.shipped,
                "median_days": s.median_days,
                "longest_days": s.longest_days,
                "fixes": [fix_json(f) for f in found.shipped],
            }
        )
        return
    s = found.summary
    if not s.shipped:
        typer.echo("No fix has shipped yet.")
        return
    typer.echo(
        f"{s.shipped} fixes shipped; median {s.median_days:.1f} days, longest "
        f"{s.longest_days:.1f} days from the first report."
    )
