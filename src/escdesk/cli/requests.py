"""`escdesk requests`: file, list, show, withdraw and decide escalation requests (R-INT, R-TRI)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from escdesk.cli import parsing, times
from escdesk.cli.options import AsJson, By, sort_by
from escdesk.cli.output import console, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.errors import InvalidInput
from escdesk.domain.request import RequestStatus
from escdesk.services import requests as intake
from escdesk.services import triage
from escdesk.services.listing import parse_sort
from escdesk.services.request_commands import (
    REQUEST_ORDERS,
    DecideRequest,
    FileRequest,
    LinkDuplicate,
    ListRequests,
    ShowRequest,
    SimilarToRequest,
    WithdrawRequest,
)
from escdesk.services.requests import RequestView
from escdesk.services.triage_text import breakdown_text, likeness_json, view_json

app = typer.Typer(
    help="Escalation requests: file one for the triage meeting; list, show, withdraw, decide.",
    no_args_is_help=True,
)

FIELD_FLAGS = {
    "account": "--account",
    "kind": "--kind",
    "problem": "--problem",
    "problem_type": "--type",
    "proposed_severity": "--severity",
    "workarounds": "--workarounds",
    "difficulty": "--difficulty",
    "dependencies": "--dependencies",
    "business": "--business",
    "other_customers": "--other-customers",
    "happiness_confirmed": "--happiness",
    "tickets": "--ticket",
    "deal_size": "--deal-size",
    "expected_close": "--expected-close",
    "rationale": "--rationale",
    "release": "--schedule",
    "gap": "--gap",
    "owner": "--owner",
    "due": "--due",
    "skills": "--skill",
}
"""How the command line spells the request's fields (the CLI's error mapping reads these)."""

RequestArg = Annotated[
    str, typer.Argument(metavar="ID", help="Request id: 7 or REQ-7.", show_default=False)
]


def request_id(value: str) -> int:
    text = value.strip().upper().removeprefix("REQ-")
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(
            "ID", f"{value!r} is not a request id", "Use a number such as 7 or REQ-7"
        )
    return int(text)


@app.command("file")
def file_(
    ctx: typer.Context,
    account: Annotated[str | None, typer.Option("--account", help="Account (name or id).")] = None,
    kind: Annotated[
        str | None,
        typer.Option("--kind", help="account (account escalation) or star (one slow ticket)."),
    ] = None,
    problem: Annotated[
        str | None, typer.Option("--problem", help="What is wrong, first line a summary.")
    ] = None,
    problem_type: Annotated[
        str | None,
        typer.Option("--type", help="bug, enhancement (or new feature), education, configuration."),
    ] = None,
    severity: Annotated[
        str | None, typer.Option("--severity", help="Proposed: critical, high, medium, low.")
    ] = None,
    workarounds: Annotated[
        str | None,
        typer.Option("--workarounds", help="Workarounds tried and why they fall short."),
    ] = None,
    difficulty: Annotated[
        str | None,
        typer.Option("--difficulty", help="Estimated fix: small, medium, large or unknown."),
    ] = None,
    dependencies: Annotated[
        str | None,
        typer.Option("--dependencies", help="Downstream dependencies of a fix, or 'none'."),
    ] = None,
    business: Annotated[
        str | None,
        typer.Option("--business", help="paying, pending_deal or prospect (default: account)."),
    ] = None,
    arr: Annotated[str | None, typer.Option("--arr", help="ARR (default: account).")] = None,
    deal_size: Annotated[
        str | None, typer.Option("--deal-size", help="A pending deal's size.")
    ] = None,
    expected_close: Annotated[
        str | None, typer.Option("--expected-close", help="A pending deal's close date.")
    ] = None,
    other_customers: Annotated[
        str | None, typer.Option("--other-customers", help="How many other customers hit it.")
    ] = None,
    happiness: Annotated[
        str | None,
        typer.Option("--happiness", help="Confirmed a fix makes the customer happy: yes or no."),
    ] = None,
    ticket: Annotated[
        list[str] | None,
        typer.Option("--ticket", help="A linked ticket: its id, optionally a space and URL."),
    ] = None,
    skill: Annotated[
        list[str] | None, typer.Option("--skill", help="A skill the work needs (repeatable).")
    ] = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """File an escalation request; refused, naming every missing option, until it is complete."""
    state = runtime(ctx)
    cmd = FileRequest.parse(
        account=account,
        kind=kind,
        problem=problem,
        problem_type=problem_type,
        proposed_severity=severity,
        workarounds=workarounds,
        difficulty=difficulty,
        dependencies=dependencies,
        business=business,
        arr=arr,
        deal_size=deal_size,
        expected_close=expected_close,
        other_customers=other_customers,
        happiness_confirmed=happiness,
        tickets=ticket or [],
        skills=skill or [],
    )
    from escdesk.cli.similarity_index import ticket_index  # NumPy and SciPy, only when filing

    cmd = intake.with_similar_accounts(state.uow(), ticket_index(state), cmd, now=state.now)
    request = state.run(intake.file_request, cmd, by)
    view = state.read(
        intake.show_request, ShowRequest(request.id or 0, state.settings.triage_config())
    )
    if as_json:
        print_json(view_json(view))
        return
    typer.echo(
        f"Filed REQ-{request.id} for {view.customer}: score {view.score.total} "
        f"({breakdown_text(view.score)}). It is on the next triage meeting's agenda."
    )
    for esc in view.open_escalations:
        typer.echo(f"ESC-{esc.id} is already open for {view.customer}: add to it instead?")


@app.command("list")
def list_(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(
            "--status", help="pending, escalated, scheduled, backlog, education, withdrawn."
        ),
    ] = None,
    account: Annotated[str | None, typer.Option("--account", help="Only this account.")] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, max=10_000, help="At most this many.")
    ] = 100,
    sort: Annotated[str | None, sort_by(REQUEST_ORDERS)] = None,
    as_json: AsJson = False,
) -> None:
    """Requests, newest first, each with its score."""
    state = runtime(ctx)
    query = ListRequests.parse(
        status=status,
        account=account,
        limit=limit,
        triage=state.settings.triage_config(),
        order=parse_sort(sort),
    )
    views = state.read(intake.list_requests, query)
    if as_json:
        print_json({"items": [view_json(v) for v in views], "total": len(views)})
        return
    if not views:
        typer.echo("No requests match.")
        return
    table = Table(title="Escalation requests")
    for column in ("REQ", "Customer", "Status", "Type", "Severity", "Score", "Summary"):
        table.add_column(column)
    for v in views:
        r = v.request
        table.add_row(
            f"REQ-{r.id}",
            Text(v.customer),
            r.status.value,
            r.problem_type.value,
            r.proposed_severity.value,
            str(v.score.total),
            Text(r.summary),
        )
    console().print(table)


def _show(view: RequestView) -> None:
    r = view.request
    out = console()
    out.print(Text(f"REQ-{r.id} {view.customer}: {r.summary}", style="bold"))
    out.print(f"Status {r.status.value} · {r.kind.value} · version {r.version}")
    out.print(Text(f"Score {view.score.total}: {breakdown_text(view.score)}"))
    for part in view.score.parts:
        out.print(Text(f"  {part.factor:<10} {part.points:>4}  {part.why}"))
    out.print(Text(f"Problem: {r.problem}"))
    out.print(Text(f"Workarounds: {r.workarounds}"))
    out.print(Text(f"Dependencies: {r.dependencies}"))
    for t in r.tickets:
        out.print(Text(f"Ticket {t.label}" + (f" {t.url}" if t.url else "")))
    for esc in view.open_escalations:
        out.print(Text(f"ESC-{esc.id} is open for this customer: add to it instead?"))
    hours = r.time_to_decision()
    if hours is not None:
        out.print(f"Decided after {hours:.1f} h")
    for d in r.decisions:
        extra = d.release or (f"ESC-{d.escalation_id}" if d.escalation_id else "")
        out.print(Text(f"{times.when(d.at)} {d.outcome.value} {extra}: {d.rationale}"))


@app.command("show")
def show(ctx: typer.Context, request: RequestArg, as_json: AsJson = False) -> None:
    """One request: its score with the breakdown, tickets, decisions, open escalations, and
    the earlier requests and escalations that read like it."""
    state = runtime(ctx)
    view = state.read(
        intake.show_request, ShowRequest(request_id(request), state.settings.triage_config())
    )
    r = view.request
    text = f"{r.summary}\n{r.problem}"
    similar = state.read(intake.similar_records, SimilarToRequest(text, r.id))
    if as_json:
        print_json({**view_json(view), "similar": [likeness_json(s) for s in similar]})
        return
    _show(view)
    for like in similar:
        c = like.candidate
        console().print(
            Text(f"Similar: {c.ref} {c.title} ({c.status}; shares {', '.join(like.shared)})")
        )


@app.command("duplicate")
def duplicate(
    ctx: typer.Context,
    request: RequestArg,
    of: Annotated[str, typer.Option("--of", help="What it duplicates: REQ-7 or ESC-12.")],
    by: By = None,
) -> None:
    """Link a request as a duplicate of an earlier request or an open escalation."""
    cmd = LinkDuplicate(request_id(request), of)
    done = runtime(ctx).run(intake.link_duplicate, cmd, by)
    typer.echo(f"REQ-{done.id} is linked as a {done.withdrawn_reason}.")


@app.command("withdraw")
def withdraw(
    ctx: typer.Context,
    request: RequestArg,
    reason: Annotated[str, typer.Option("--reason", help="Why it is no longer needed.")],
    by: By = None,
) -> None:
    """Withdraw a pending request (its requester, or someone who decides requests)."""
    done = runtime(ctx).run(
        intake.withdraw_request, WithdrawRequest(request_id(request), reason), by
    )
    typer.echo(f"Withdrew REQ-{done.id}.")


@app.command("decide")
def decide(
    ctx: typer.Context,
    request: RequestArg,
    rationale: Annotated[
        str, typer.Option("--rationale", help="Why (required; the requester reads it).")
    ],
    escalate: Annotated[bool, typer.Option("--escalate", help="Open the escalation now.")] = False,
    schedule: Annotated[
        str | None, typer.Option("--schedule", metavar="RELEASE", help="Fix in this release.")
    ] = None,
    backlog: Annotated[bool, typer.Option("--backlog", help="Leave it in the backlog.")] = False,
    education: Annotated[
        bool, typer.Option("--education", help="A training or documentation gap.")
    ] = False,
    severity: Annotated[
        str | None, typer.Option("--severity", help="Escalate: severity (default: proposed).")
    ] = None,
    eta: Annotated[str | None, typer.Option("--eta", help="Escalate: ETA, ISO or +5d.")] = None,
    ask: Annotated[str | None, typer.Option("--ask", help="Escalate: the initial ask.")] = None,
    skill: Annotated[
        list[str] | None, typer.Option("--skill", help="Escalate: a required skill.")
    ] = None,
    dri: Annotated[str | None, typer.Option("--dri", help="Escalate: the DRI.")] = None,
    gap: Annotated[str | None, typer.Option("--gap", help="Education: the gap.")] = None,
    owner: Annotated[str | None, typer.Option("--owner", help="Education: its owner.")] = None,
    due: Annotated[str | None, typer.Option("--due", help="Education: due, ISO or +14d.")] = None,
    meeting: Annotated[
        int | None, typer.Option("--meeting", help="The triage meeting it was decided at.")
    ] = None,
    version: Annotated[
        int | None,
        typer.Option(
            "--version", min=0, help="The version you last saw; a change since is a conflict."
        ),
    ] = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Record the triage decision; the requester is told in the same transaction (R-TRI-4)."""
    chosen = [
        name
        for name, on in (
            ("escalated", escalate),
            ("scheduled", schedule is not None),
            ("backlog", backlog),
            ("education", education),
        )
        if on
    ]
    if len(chosen) != 1:
        raise InvalidInput(
            "--escalate",
            "choose exactly one decision",
            "Pass one of --escalate, --schedule RELEASE, --backlog, --education",
        )
    state = runtime(ctx)
    cmd = DecideRequest.parse(
        request_id=request_id(request),
        outcome=chosen[0],
        rationale=rationale,
        release=schedule,
        severity=severity,
        eta=parsing.moment(eta, "--eta", now=state.now, relative=True) if eta else None,
        initial_ask=ask,
        skills=tuple(skill or ()),
        dri=dri,
        gap=gap,
        owner=owner,
        due=parsing.moment(due, "--due", now=state.now, relative=True) if due else None,
        meeting_id=meeting,
        version=version,
        triage=state.settings.triage_config(),
    )
    decided = state.run(triage.decide_request, cmd, by)
    if as_json:
        view = state.read(intake.show_request, ShowRequest(decided.id or 0))
        print_json(view_json(view))
        return
    d = decided.decision
    assert d is not None
    what = {
        RequestStatus.ESCALATED: f"escalated: ESC-{d.escalation_id} is open",
        RequestStatus.SCHEDULED: f"scheduled for release {d.release}",
        RequestStatus.BACKLOG: "left in the backlog",
        RequestStatus.EDUCATION: f"an education item (#{d.education_id})",
    }[d.outcome]
    typer.echo(f"REQ-{decided.id} {what}. The requester's notice is in the outbox.")
