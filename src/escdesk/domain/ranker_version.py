"""A re-ranker the team trained on its own links (R-REC-2), kept as data with the figures it
was judged by, so anyone can see why similar-ticket search ranks as it does and undo it.

The model is numbers (feature names, standardisation, weights) as JSON, never code. A refit is
recorded whether or not it is used; it is put in use only when it beats the ranker in use on the
team's held-back links (`beats`). `escdesk tickets ranker --use N` and `--reset` choose by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

SHIPPED = "shipped"  # what the figures call the model that comes with escdesk
MIN_HELD_BACK = 3  # held-back queries with a linked duplicate needed to judge a refit


@dataclass
class RankerVersion:
    """One refit: the model, its figures (new vs. the ranker in use then), whether it was kept."""

    trained_at: datetime
    model: dict[str, Any]
    figures: dict[str, Any]
    kept: bool
    trained_by: int | None = None
    in_use: bool = False
    id: int | None = None
    replaced: int | None = field(default=None)  # the version in use before (None: shipped)


def beats(figures: dict[str, Any]) -> bool:
    """The rule for keeping a refit: at least `MIN_HELD_BACK` held-back queries with a linked
    duplicate, and a higher mean reciprocal rank there than the ranker in use (a tie keeps the
    one in use): a couple of links are too few to tell luck from learning."""
    new, current = figures.get("new", {}), figures.get("current", {})
    if int(new.get("queries", 0)) < MIN_HELD_BACK:
        return False
    return float(new.get("mrr", 0.0)) > float(current.get("mrr", 0.0))


def why_not_kept(figures: dict[str, Any]) -> str:
    """In words, for the person who ran the training."""
    held = int(figures.get("new", {}).get("queries", 0))
    if held < MIN_HELD_BACK:
        return (
            f"{held} held-back {'query' if held == 1 else 'queries'} with a linked duplicate, "
            f"{MIN_HELD_BACK} are needed to judge it: link more duplicates first"
        )
    return "it ranks the held-back links no better than the ranker in use"
