"""`escdesk links`: Jira, GitHub and GitLab work linked from escalations, requests and recurring
issues."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from escdesk.cli import parsing
from escdesk.cli.options import AsJson, By
from escdesk.cli.output import Json, console, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.engineering_links import EngineeringLink
from escdesk.domain.errors import InvalidInput
from escdesk.services import links as service

app = typer.Typer(
    help="Engineering links: issues and pull/merge requests in Jira, GitHub and GitLab.",
    no_args_is_help=True,
)

Escalation = Annotated[
    str | None, typer.Option("--escalation", help="The escalation (12 or ESC-12).")
]
Issue = Annotated[int | None, typer.Option("--issue", min=1, help="The recurring issue's id.")]
Request = Annotated[str | None, typer.Option("--request", help="The request (7 or REQ-7).")]


def link_json(link: EngineeringLink) -> Json:
    p = link.parsed
    return {
        "id": link.id,
        "subject_type": link.subject_type,
        "subject_id": link.subject_id,
        "url": p.url,
        "tracker": p.tracker.value,
        "kind": p.kind.value,
        "key": p.key,
        "state": link.state.value,
        "remote_status": link.remote_status,
        "checked_at": iso(link.checked_at),
        "closed_at": iso(link.closed_at),
    }


def _subject(escalation: str | None, issue: int | None, request: str | None) -> tuple[str, int]:
    named = [v for v in (escalation, issue, request) if v is not None]
    if len(named) != 1:
        raise InvalidInput(
            "--escalation", "name one subject", "Give --escalation, --request or --issue"
        )
    if escalation is not None:
        return "escalation", parsing.escalation_id(escalation)
    if request is not None:
        return "request", parsing.request_id(request)
    assert issue is not None
    return "recurring_issue", issue


@app.command("add")
def add(
    ctx: typer.Context,
    url: Annotated[str, typer.Argument(help="The issue or pull/merge request URL.")],
    escalation: Escalation = None,
    issue: Issue = None,
    request: Request = None,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """Link tracker work to an escalation, a request or a recurring issue."""
    state = runtime(ctx)
    subject, subject_id = _subject(escalation, issue, request)
    link = state.run(service.add_link, service.AddLink(subject, subject_id, url), by)
    if as_json:
        print_json(link_json(link))
        return
    p = link.parsed
    typer.echo(f"Linked {p.tracker.value} {p.key} (link {link.id}).")


@app.command("list")
def list_(
    ctx: typer.Context,
    escalation: Escalation = None,
    issue: Issue = None,
    request: Request = None,
    as_json: AsJson = False,
) -> None:
    """The links of an escalation, a request or a recurring issue, with the state last synced."""
    subject, subject_id = _subject(escalation, issue, request)
    found = runtime(ctx).read(service.list_links, service.ListLinks(subject, subject_id))
    if as_json:
        print_json({"items": [link_json(link) for link in found]})
        return
    table = Table(title="Engineering links", title_justify="left")
    for column in ("ID", "Tracker", "Key", "Kind", "State", "URL"):
        table.add_column(column)
    for link in found:
        p = link.parsed
        shown = link.state.value + (f" ({link.remote_status})" if link.remote_status else "")
        table.add_row(str(link.id), p.tracker.value, p.key, p.kind.value, shown, p.url)
    console().print(table)


@app.command("remove")
def remove(
    ctx: typer.Context,
    link: Annotated[int, typer.Argument(metavar="ID", min=1, help="The link's id.")],
    by: By = None,
) -> None:
    """Remove a link."""
    removed = runtime(ctx).run(service.remove_link, service.RemoveLink(link), by)
    typer.echo(f"Removed the link to {removed.parsed.key}.")


@app.command("sync")
def sync(ctx: typer.Context) -> None:
    """Ask the trackers now (the worker does it every ten minutes when a tracker is set up)."""
    from escdesk.adapters.trackers import TrackerClient  # httpx only for the commands that use it

    state = runtime(ctx)
    desk = state.desk
    client = TrackerClient(desk.settings)
    try:
        changed = service.sync_links(desk.uow, client, state.now)
        done = service.sync_follow_ups(desk.uow, client, state.now)
    finally:
        client.close()
    typer.echo(f"{changed} link{'' if changed == 1 else 's'} changed state.")
    if done:
        typer.echo(f"{done} mirrored follow-up{'' if done == 1 else 's'} done.")
