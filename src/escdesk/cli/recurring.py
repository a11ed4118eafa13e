"""`escdesk recurring`: recurring issues — find, rank, confirm, merge, split, link, fix — and
the weekly issues review (R-REC-1, R-REC-3, R-REC-4, R-RCA-3)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from escdesk.cli import parsing, times
from escdesk.cli.options import AsJson, By, Version
from escdesk.cli.output import console, print_json
from escdesk.cli.recurring_output import (
    SECTION_TITLES,
    detail_json,
    issue_json,
    prevention_json,
    review_json,
    review_markdown,
)
from escdesk.cli.runtime import runtime
from escdesk.cli.similarity_index import ticket_index
from escdesk.domain.errors import InvalidInput
from escdesk.domain.recurring_issue import Prevention, RecurringIssue
from escdesk.domain.values import parse_id
from escdesk.services import clustering
from escdesk.services import recurring as service
from escdesk.services import recurring_changes as change
from escdesk.services.review import weekly_issues_review

app = typer.Typer(
    help="Recurring issues: clusters of tickets with one cause, ranked; the weekly review.",
    no_args_is_help=True,
    add_completion=False,
)

IssueArg = Annotated[
    str,
    typer.Argument(metavar="ISSUE", help="Recurring issue id: 7 or issue-7.", show_default=False),
]


def issue_id(value: str, option: str = "ISSUE") -> int:
    return parse_id(value.strip().removeprefix("#"), option, prefix="issue", example="7 or issue-7")


def _done(issue: RecurringIssue, what: str) -> None:
    typer.echo(f"Issue {issue.id} {what}: {issue.label} (version {issue.version})")


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", help="How many, highest rank first.")] = 30,
    as_json: AsJson = False,
) -> None:
    """Recurring issues ranked by tickets, accounts, ARR affected and trend."""
    state = runtime(ctx)
    ranked = service.list_issues(state.uow(), now=state.now, limit=limit)
    if as_json:
        print_json({"items": [issue_json(r) for r in ranked]})
        return
    table = Table(title="Recurring issues", title_justify="left")
    for column in ("#", "Issue", "Status", "Tickets", "Accounts", "ARR", "8 weeks", "Trend",
                   "First seen", "Last seen", "Rank"):  # fmt: skip
        table.add_column(column, overflow="fold")
    for r in ranked:
        f = r.figures
        table.add_row(
            str(r.issue.id),
            Text(r.issue.label),
            r.issue.status.value,
            f"{f.tickets:,}",
            str(f.accounts),
            f"{f.arr:,}",
            " ".join(str(n) for n in f.weekly),
            f"{r.trend:+.1f}/wk",
            times.date_text(f.first_seen),
            times.date_text(f.last_seen),
            f"{r.rank.score:.1f}",
        )
    console().print(
        table if ranked else "No recurring issues yet: run `escdesk recurring rebuild`."
    )


@app.command("show")
def show(ctx: typer.Context, issue: IssueArg, as_json: AsJson = False) -> None:
    """One issue: its figures, rank breakdown, accounts, newest tickets and links."""
    state = runtime(ctx)
    detail = service.show_issue(state.uow(), issue_id(issue), now=state.now)
    if as_json:
        print_json(detail_json(detail))
        return
    r, f = detail.ranked, detail.ranked.figures
    lines = [
        f"Issue {r.issue.id}: {r.issue.label}  [{r.issue.status.value}, version {r.issue.version}]",
        f"  {f.tickets:,} tickets from {f.accounts} accounts, ARR affected {f.arr:,}",
        f"  first seen {times.date_text(f.first_seen)}, last seen {times.date_text(f.last_seen)}"
        if f.first_seen and f.last_seen
        else "  no tickets",
        f"  last 8 weeks: {' '.join(map(str, f.weekly))} (trend {r.trend:+.2f}/week)",
        f"  rank {r.rank.explain()}",
    ]
    if r.issue.fix_reference:
        lines.append(f"  fix {r.issue.fix_reference} (release {r.issue.release or '—'})")
    if detail.prevention:
        lines.append(f"  {_prevention_line(detail.prevention)}")
    for e in detail.escalations:
        lines.append(f"  linked ESC-{e.id} ({e.status}, {e.severity}): {e.customer} — {e.summary}")
    if detail.accounts:
        top = ", ".join(f"{a.name} ({a.tickets})" for a in detail.accounts[:8])
        lines.append(f"  accounts: {top}")
    lines.append("  newest tickets:")
    lines += [
        f"    {t.key}  {times.date_text(t.ticket.created_at)}  {t.ticket.subject}"
        for t in detail.tickets
    ]
    console().print(Text("\n".join(lines)))


@app.command("rebuild")
def rebuild(
    ctx: typer.Context,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="Cluster every ticket again, keeping only the issues people "
            "confirmed, named, linked or fixed.",
        ),
    ] = False,  # fmt: skip
    as_json: AsJson = False,
) -> None:
    """Group tickets not clustered yet into recurring issues (new tickets join existing ones)."""
    state = runtime(ctx)
    report = clustering.update_issues(state.uow(), ticket_index(state), now=state.now, full=full)
    if as_json:
        print_json(
            {
                "clustered": report.clustered,
                "joined_issues": report.joined_issues,
                "new_issues": report.new_issues,
                "relabelled": report.relabelled,
                "seconds": round(report.seconds, 3),
            }
        )
        return
    typer.echo(
        f"Clustered {report.clustered:,} tickets in {report.seconds:.1f} s: "
        f"{report.joined_issues:,} joined existing issues, {report.new_issues:,} new issues"
    )


@app.command("confirm")
def confirm(ctx: typer.Context, issue: IssueArg, by: By = None, version: Version = None) -> None:
    """A person agrees these tickets share one cause."""
    state = runtime(ctx)
    done = state.run(change.confirm_issue, change.ConfirmIssue(issue_id(issue), version), by)
    _done(done, "confirmed")


@app.command("rename")
def rename(
    ctx: typer.Context,
    issue: IssueArg,
    label: Annotated[str, typer.Argument(metavar="LABEL", help="The new name.")],
    by: By = None,
    version: Version = None,
) -> None:
    """Name an issue; clustering never replaces a name a person chose."""
    state = runtime(ctx)
    cmd = change.RenameIssue(issue_id(issue), label, version)
    done = state.run(change.rename_issue, cmd, by)
    _done(done, "renamed")


@app.command("merge")
def merge(
    ctx: typer.Context,
    issue: IssueArg,
    into: Annotated[str, typer.Option("--into", metavar="ISSUE", help="The issue to keep.")],
    by: By = None,
) -> None:
    """Fold an issue into another: its tickets and escalation links move."""
    state = runtime(ctx)
    cmd = change.MergeIssues(issue_id(issue), issue_id(into, "--into"))
    target = state.run(change.merge_issues, cmd, by)
    _done(target, f"now holds issue {issue_id(issue)}")


@app.command("split")
def split(
    ctx: typer.Context,
    issue: IssueArg,
    tickets: Annotated[list[str], typer.Argument(metavar="TICKET...", help="Tickets to move.")],
    label: Annotated[str, typer.Option("--label", help="Name of the new issue.")],
    by: By = None,
) -> None:
    """Move tickets of another cause out of an issue into a new one."""
    state = runtime(ctx)
    part = state.run(
        change.split_issue, change.SplitIssue(issue_id(issue), tuple(tickets), label), by
    )
    _done(part, f"split off issue {issue_id(issue)} with {len(tickets)} tickets")


@app.command("link")
def link(
    ctx: typer.Context,
    issue: IssueArg,
    escalation: Annotated[str, typer.Argument(metavar="ESC", help="Escalation: 12 or ESC-12.")],
    by: By = None,
) -> None:
    """Link an issue to an escalation it caused (R-REC-3)."""
    state = runtime(ctx)
    number = parsing.escalation_id(escalation)
    done = state.run(change.link_escalation, change.LinkEscalation(issue_id(issue), number), by)
    _done(done, f"linked to ESC-{number}")


@app.command("fix")
def fix(
    ctx: typer.Context,
    issue: IssueArg,
    ref: Annotated[
        str, typer.Option("--ref", help="The fix: a pull request, patch or workaround.")
    ],
    release: Annotated[
        str | None, typer.Option("--release", help="The release that shipped it.")
    ] = None,
    fixed_at: Annotated[
        str | None,
        typer.Option("--fixed-at", help="When it shipped: ISO 8601 (UTC unless an offset); now."),
    ] = None,
    by: By = None,
) -> None:
    """Record the fix; from then on, tickets of this cause should stop (see `prevention`)."""
    state = runtime(ctx)
    moment = parsing.moment(fixed_at, "--fixed-at", now=state.now) if fixed_at else None
    done = state.run(change.record_fix, change.RecordFix(issue_id(issue), ref, release, moment), by)
    _done(done, "fixed")


def _prevention_line(figure: Prevention) -> str:
    verdict = "stopped" if figure.stopped else "still arriving"
    return (
        f"prevention (R-RCA-3): {figure.after_fix} tickets after the fix in "
        f"{figure.weeks_since_fix:.1f} weeks ({figure.after_fix_per_week:.2f}/week, before "
        f"{figure.before_fix_per_week:.2f}/week): {verdict}"
    )


@app.command("prevention")
def prevention(ctx: typer.Context, issue: IssueArg, as_json: AsJson = False) -> None:
    """R-RCA-3: how many tickets of the cause arrived after the fix — the goal metric."""
    state = runtime(ctx)
    found, figure = service.issue_prevention(state.uow(), issue_id(issue), now=state.now)
    if as_json:
        print_json({"id": found.id, "label": found.label, **prevention_json(figure)})
        return
    typer.echo(f"Issue {found.id}: {found.label}\n  {_prevention_line(figure)}")


@app.command("review")
def review(
    ctx: typer.Context,
    as_json: AsJson = False,
    markdown: Annotated[bool, typer.Option("--markdown", help="Print a Markdown agenda.")] = False,
) -> None:
    """The weekly issues review: chronic issues, problem customers, escalations at risk,
    each time-boxed; never more than 60 minutes (R-REC-4)."""
    if as_json and markdown:
        raise InvalidInput("--json", "and --markdown exclude each other", "Choose one")
    state = runtime(ctx)
    result = weekly_issues_review(state.uow(), now=state.now)
    agenda = result.agenda
    if as_json:
        print_json(review_json(agenda))
        return
    if markdown:
        typer.echo(review_markdown(agenda, f"{state.now:%Y-%m-%d}"), nl=False)
        return
    table = Table(
        title=f"Weekly issues review — {agenda.total_minutes} minutes", title_justify="left"
    )
    for column in ("Start", "Min", "Section", "Topic", "Detail"):
        table.add_column(column, overflow="fold")
    for item in agenda.items:
        table.add_row(
            f"{item.starts_at_minute // 60}:{item.starts_at_minute % 60:02d}",
            str(item.minutes),
            SECTION_TITLES[item.section],
            Text(item.title),
            Text(item.detail),
        )
    console().print(table)
    if agenda.carried_over:
        carried = ", ".join(topic.title for _, topic in agenda.carried_over)
        console().print(Text(f"Carried over to next week (no time left): {carried}"))
    for topic in agenda.left_out:
        console().print(Text(f"Left out: {topic.title} — {topic.detail}"))
