"""`escdesk tickets train-ranker` and `tickets ranker`: the similar-tickets ranking that learns
from the team's links (R-REC-2), its versions and figures, and how to undo it."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from escdesk.cli.options import AsJson, By
from escdesk.cli.output import console, iso, print_json
from escdesk.cli.runtime import runtime
from escdesk.domain.ranker_version import RankerVersion
from escdesk.services import ranker as service


def train(ctx: typer.Context, by: By = None, as_json: AsJson = False) -> None:
    """Re-train the similar-tickets ranker on the team's links; kept only if it ranks the
    held-back links better than the ranker in use."""
    from escdesk.cli.similarity_index import ticket_index

    state = runtime(ctx)
    handler = service.TrainRankerHandler(ticket_index(state))
    trained = state.run(handler, service.TrainRanker(), by)
    v = trained.version
    if as_json:
        print_json({**version_json(v), "not_kept_because": trained.not_kept_because})
        return
    new, current = v.figures["new"], v.figures["current"]
    compared = v.figures.get("compared_with")
    versus = "the shipped ranker" if compared == "shipped" else f"version {compared}"
    lines = [
        f"Version {v.id}: held-back mean reciprocal rank {new['mrr']:.3f} against "
        f"{current['mrr']:.3f} for {versus} ({new['queries']} held-back "
        f"{'query' if new['queries'] == 1 else 'queries'}).",
        f"Kept: search uses version {v.id} now (undo: escdesk tickets ranker --reset)."
        if v.kept
        else f"Not kept: {trained.not_kept_because}.",
    ]
    console().print(Text("\n".join(lines)))


def ranker(
    ctx: typer.Context,
    use: Annotated[
        int | None, typer.Option("--use", metavar="N", help="Put version N in use.")
    ] = None,
    reset: Annotated[
        bool, typer.Option("--reset", help="Go back to the ranker escdesk ships.")
    ] = False,
    by: By = None,
    as_json: AsJson = False,
) -> None:
    """The similar-tickets ranker versions and their figures; --use N or --reset chooses."""
    state = runtime(ctx)
    if use is not None or reset:
        rankers = state.run(service.use_ranker, service.UseRanker.parse(use, reset), by)
    else:
        rankers = state.read(service.show_rankers, service.ShowRankers(), by)
    if as_json:
        print_json(
            {
                "in_use": rankers.in_use if rankers.in_use is not None else "shipped",
                "versions": [version_json(v) for v in rankers.versions],
            }
        )
        return
    out = console()
    chosen = "the shipped one" if rankers.in_use is None else f"version {rankers.in_use}"
    if not rankers.versions:
        out.print("No re-trained ranker yet: search uses the shipped one.")
        return
    table = Table(title=f"Similar-tickets rankers (in use: {chosen})", title_justify="left")
    for column in ("Version", "Trained", "Team links", "Held back", "MRR new", "MRR before",
                   "Kept", "In use"):  # fmt: skip
        table.add_column(column)
    for v in rankers.versions:
        f = v.figures
        table.add_row(
            str(v.id),
            f"{v.trained_at:%Y-%m-%d %H:%M}",
            str(f.get("team_links", 0)),
            str(f.get("new", {}).get("queries", 0)),
            f"{f.get('new', {}).get('mrr', 0.0):.3f}",
            f"{f.get('current', {}).get('mrr', 0.0):.3f}",
            "yes" if v.kept else "no",
            "yes" if v.in_use else "",
        )
    out.print(table)


def version_json(v: RankerVersion) -> dict[str, Any]:
    return {
        "id": v.id,
        "trained_at": iso(v.trained_at),
        "trained_by": v.trained_by,
        "kept": v.kept,
        "in_use": v.in_use,
        "replaced": v.replaced,
        "figures": v.figures,
        "model": v.model,
    }
