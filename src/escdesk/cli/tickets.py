"""`escdesk tickets`: import helpdesk exports, find similar earlier tickets (R-REC-1, R-REC-2)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table
from rich.text import Text

from escdesk.cli import parsing, ticket_links, ticket_ranker, times
from escdesk.cli.options import AsJson
from escdesk.cli.output import console, print_json
from escdesk.cli.recurring_output import import_json, similar_line, ticket_json
from escdesk.cli.runtime import runtime
from escdesk.cli.similarity_index import ticket_index
from escdesk.domain.errors import InvalidInput
from escdesk.importers import FORMATS
from escdesk.services import tickets as service
from escdesk.services.ticket_views import ImportReport, SimilarResult

app = typer.Typer(
    help="Helpdesk tickets: import exports, find similar earlier tickets.",
    no_args_is_help=True,
    add_completion=False,
)

FORMAT_HELP = "; ".join(f"{f.name}: {f.summary}" for f in FORMATS.values())


def _mapping(pairs: list[str] | None) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs or []:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip():
            raise InvalidInput(
                "--map", f"{pair!r} is not FIELD=COLUMN", 'Write it as --map subject="Title"'
            )
        mapping[field.strip()] = column.strip()
    return mapping


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The export file.")],
    format: Annotated[str, typer.Option("--format", help=FORMAT_HELP)],
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", metavar="FIELD=COLUMN", help="Where a ticket field is (repeatable)."),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--source", help="Where the tickets come from; ids are unique per source."),
    ] = None,
    skip_invalid: Annotated[
        bool,
        typer.Option("--skip-invalid", help="Leave bad records out and list them at the end."),
    ] = False,
    allow_repeats: Annotated[
        bool,
        typer.Option(
            "--allow-repeats",
            help="A later record with the same id wins (Zendesk "
            "incremental exports repeat changed tickets).",
        ),
    ] = False,  # fmt: skip
    as_json: AsJson = False,
) -> None:
    """Import (or re-import: tickets are updated, never duplicated) a helpdesk export.

    The file may be gzip, bzip2, xz or a zip with one export in it. A bad record stops the
    import, naming its line and field, and nothing is written; with --skip-invalid it is
    left out and reported. The desk keeps working while a file imports; the tickets appear
    at once when it is done, and the similar-tickets index is brought up to date after that.
    """
    state = runtime(ctx)
    mapping = _mapping(map_)
    uow, index = state.uow(), ticket_index(state)
    started = time.perf_counter()
    err = Console(stderr=True)
    with Progress(
        TextColumn("importing"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        task = bar.add_task("import", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        report = service.import_file(
            uow,
            index,
            file,
            format=format,
            now=state.now,
            source=source,
            mapping=mapping,
            skip_invalid=skip_invalid,
            allow_repeats=allow_repeats,
            progress=progress,
        )
    indexing = report.index_seconds
    seconds = time.perf_counter() - started - indexing
    if as_json:
        print_json(import_json(report, seconds) | {"index_seconds": round(indexing, 3)})
        return
    _print_report(report, file, seconds, indexing)


def _print_report(report: ImportReport, file: Path, seconds: float, indexing: float) -> None:
    typer.echo(
        f"Imported {report.written:,} tickets from {file.name} (source {report.source}): "
        f"{report.new:,} new, {report.updated:,} updated, {len(report.skipped):,} skipped "
        f"in {seconds:.1f} s; similar-tickets index updated in {indexing:.1f} s"
    )
    for notice in report.notices:
        typer.echo(f"  note: {notice}")
    for skipped in report.skipped:
        typer.echo(f"  skipped {skipped}")
    if report.written:
        typer.echo(
            "Run `escdesk recurring rebuild` to group the new tickets into recurring issues."
        )


@app.command("similar")
def similar(
    ctx: typer.Context,
    ids: Annotated[
        list[str] | None,
        typer.Argument(metavar="[ID]...", help="Helpdesk ids; source:id where sources share one."),
    ] = None,
    ids_from: Annotated[
        Path | None,
        typer.Option("--ids-from", metavar="FILE", help="Read ids, one a line (- for stdin)."),
    ] = None,
    earlier_only: Annotated[
        bool,
        typer.Option("--earlier-only", help="Only tickets created strictly before each query."),
    ] = False,
    k: Annotated[int, typer.Option("--k", metavar="N", help="How many per query.")] = 10,
    text: Annotated[
        str | None, typer.Option("--text", help="Search by a description instead of a ticket.")
    ] = None,
    escalation: Annotated[
        str | None,
        typer.Option(
            "--escalation",
            metavar="ESC",
            help="Tickets like an escalation's summary and initial ask.",
        ),
    ] = None,  # fmt: skip
    as_json: Annotated[
        bool,
        typer.Option("--json", help='One line per query: {"id", "similar": [{"id", "score"}]}'),
    ] = False,
) -> None:
    """Similar tickets, best first (R-REC-2): for tickets by id, a text, or an escalation."""
    state = runtime(ctx)
    wanted = list(ids or []) + _read_ids(ids_from)
    chosen = sum(1 for x in (wanted, text, escalation) if x)
    if chosen != 1:
        raise InvalidInput(
            "ID",
            "name what to compare",
            "Give ticket ids (or --ids-from), or --text, or --escalation",
        )
    uow, index = state.uow(), ticket_index(state)
    if text is not None:
        results = [service.similar_to_text(uow, index, text, now=state.now, k=k)]
    elif escalation is not None:
        number = parsing.escalation_id(escalation)
        results = [service.similar_to_escalation(uow, index, number, k=k)]
    else:
        results = service.similar_tickets(
            uow, index, wanted, k=k, earlier_only=earlier_only, details=not as_json
        )
    if as_json:
        for result in results:
            typer.echo(similar_line(result))
        return
    for result in results:
        _print_similar(result)


def _read_ids(path: Path | None) -> list[str]:
    if path is None:
        return []
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(
            "--ids-from", f"{path} cannot be read ({exc})", "Check the path"
        ) from None
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def _print_similar(result: SimilarResult) -> None:
    table = Table(title=f"Similar to {result.query}", title_justify="left")
    for column in (
        "#",
        "Ticket",
        "Match",
        "Subject",
        "Account",
        "Created",
        "Why (shared words)",
        "Issue",
    ):
        table.add_column(column, overflow="fold")
    for n, m in enumerate(result.matches, start=1):
        issue = ""
        if m.issue:
            escalations = ", ".join(f"ESC-{e}" for e in m.issue.escalation_ids)
            issue = f"#{m.issue.id} {m.issue.label}" + (f" ({escalations})" if escalations else "")
        table.add_row(
            str(n),
            m.key,
            m.strength,
            Text(m.subject),
            Text(m.account or "—"),
            times.date_text(m.created_at) if m.created_at else "",
            Text(", ".join(m.shared_words or m.shared_terms)),
            Text(issue),
        )
    out = console()
    out.print(table if result.matches else f"No tickets similar to {result.query}.")
    for e in result.escalations:
        out.print(
            Text(
                f"  linked escalation ESC-{e.id} ({e.status}, {e.severity}): "
                f"{e.customer} — {e.summary}"
            )
        )


@app.command("show")
def show(
    ctx: typer.Context,
    key: Annotated[str, typer.Argument(metavar="ID", help="Helpdesk id, or source:id.")],
    as_json: AsJson = False,
) -> None:
    """One ticket and the recurring issue it belongs to."""
    detail = service.show_ticket(runtime(ctx).uow(), key)
    if as_json:
        data = ticket_json(detail.stored)
        data["issue"] = (
            None
            if detail.issue is None
            else {"id": detail.issue.id, "label": detail.issue.label,
                  "escalations": list(detail.issue.escalation_ids)}
        )  # fmt: skip
        print_json(data)
        return
    t = detail.stored.ticket
    lines = [
        f"{detail.stored.key}  {t.subject}",
        f"  source {t.source}, account {t.account or '—'}, created {times.when(t.created_at)}",
        f"  area {t.product_area or '—'}, component {t.component or '—'}, status {t.status or '—'}",
    ]
    if detail.issue:
        lines.append(f"  recurring issue #{detail.issue.id}: {detail.issue.label}")
    if t.body:
        lines += ["", t.body]
    console().print(Text("\n".join(lines)))


@app.command("list")
def list_(
    ctx: typer.Context,
    account: Annotated[str | None, typer.Option("--account", help="Only this account's.")] = None,
    limit: Annotated[int, typer.Option("--limit", help="How many (newest first).")] = 50,
    offset: Annotated[int, typer.Option("--offset", help="Skip this many.")] = 0,
    as_json: AsJson = False,
) -> None:
    """Imported tickets, newest first."""
    page = service.list_tickets(runtime(ctx).uow(), limit=limit, offset=offset, account=account)
    if as_json:
        print_json(
            {
                "items": [ticket_json(t) for t in page.items],
                "total": page.total,
                "limit": page.limit,
                "offset": page.offset,
            }
        )
        return
    table = Table(title=f"Tickets ({page.total:,})", title_justify="left")
    for column in ("Ticket", "Created", "Account", "Subject"):
        table.add_column(column, overflow="fold")
    for s in page.items:
        t = s.ticket
        table.add_row(s.key, times.date_text(t.created_at), Text(t.account or "—"), Text(t.subject))
    console().print(table)


@app.command("reindex")
def reindex(ctx: typer.Context) -> None:
    """Rebuild the similar-tickets index from the tickets table (it also rebuilds itself
    whenever it is missing or out of step)."""
    state = runtime(ctx)
    started = time.perf_counter()
    count = service.reindex(state.uow(), ticket_index(state))
    typer.echo(f"Indexed {count:,} tickets in {time.perf_counter() - started:.1f} s")


app.command("link")(ticket_links.link)
app.command("train-ranker")(ticket_ranker.train)
app.command("ranker")(ticket_ranker.ranker)
