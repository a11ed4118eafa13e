"""A ranking that learns from the team (R-REC-2): re-train the similar-tickets re-ranker on the
public pairs plus every verdict people gave, keep it only when it ranks the team's held-back
links better than the ranker in use, record the figures either way, and choose or undo by hand.

The engine does the fitting and scoring (`TicketIndex`, scikit-learn only then); the rule for
keeping a refit is the domain's (`domain.ranker_version.beats`); every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain.access import Actor, Permission
from escdesk.domain.errors import InvalidInput, NotFound, RuleRefused
from escdesk.domain.events import Event
from escdesk.domain.ranker_version import SHIPPED, RankerVersion, beats, why_not_kept
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context
from escdesk.services.ticket_index import LiveIndex, TicketIndex
from escdesk.services.ticket_judgements import pairs_of


@dataclass(frozen=True)
class TrainRanker:
    """Re-train on the shipped public pairs plus the team's verdicts."""


@dataclass(frozen=True)
class Trained:
    version: RankerVersion
    not_kept_because: str | None  # None: kept and in use


@dataclass(frozen=True)
class UseRanker:
    """Put a stored version in use; `version` None goes back to the shipped ranker."""

    version: int | None

    @classmethod
    def parse(cls, use: int | None, reset: bool) -> UseRanker:
        if reset and use is not None:
            raise InvalidInput("use", "was given with reset", "Give a version or reset, not both")
        if use is None and not reset:
            raise InvalidInput("use", "is missing", "Name a version, or reset to the shipped one")
        if use is not None and use < 1:
            raise InvalidInput("use", f"is {use}", "Name a version listed by tickets ranker")
        return cls(None if reset else use)


@dataclass(frozen=True)
class ShowRankers:
    """Every stored version, newest last, and which one search uses."""


@dataclass(frozen=True)
class Rankers:
    versions: list[RankerVersion]
    in_use: int | None  # None: the shipped ranker


class TrainRankerHandler:
    """The training use case, bound to the database's similarity index."""

    def __init__(self, index: TicketIndex) -> None:
        self.index = index

    def __call__(self, uow: UnitOfWork, cmd: TrainRanker, actor: Actor, ctx: Context) -> Trained:
        actor.require(Permission.MANAGE_RECURRING)
        pairs = [(p.ticket, p.other, p.duplicate) for p in pairs_of(uow)]
        if not any(duplicate for _, _, duplicate in pairs):
            raise RuleRefused(
                "R-REC-2",
                "no ticket has been linked as a duplicate yet, so there is nothing to learn from",
                ["link duplicates from the similar tickets first"],
            )
        current = uow.rankers.in_use()
        with self.index.using(uow.tickets) as live:
            retrained = live.retrain(pairs, current.model if current else None)
        figures = {**retrained.figures, "compared_with": current.id if current else SHIPPED}
        kept = beats(figures)
        version = RankerVersion(
            ctx.now,
            retrained.model,
            figures,
            kept,
            actor.person_id,
            replaced=current.id if current else None,
        )
        uow.rankers.add(version)
        assert version.id is not None
        if kept:
            uow.rankers.use(version.id)
            version.in_use = True
        data = {"kept": kept, "new_mrr": figures["new"]["mrr"], "mrr": figures["current"]["mrr"]}
        uow.rankers.record(version.id, Event("ranker_trained", ctx.now, actor.person_id, data))
        return Trained(version, None if kept else why_not_kept(figures))


def use_ranker(uow: UnitOfWork, cmd: UseRanker, actor: Actor, ctx: Context) -> Rankers:
    """Choose the ranker search uses: a stored version, or the shipped one (undo)."""
    actor.require(Permission.MANAGE_RECURRING)
    before = uow.rankers.in_use()
    if cmd.version is None:
        uow.rankers.use(None)
        event = Event("ranker_reset", ctx.now, actor.person_id, {"was": before and before.id})
        uow.rankers.record(before.id if before and before.id else 0, event)
    else:
        if uow.rankers.get(cmd.version) is None:
            raise NotFound("ranker version", cmd.version)
        uow.rankers.use(cmd.version)
        event = Event("ranker_chosen", ctx.now, actor.person_id, {"was": before and before.id})
        uow.rankers.record(cmd.version, event)
    return Rankers(uow.rankers.all(), cmd.version)


def show_rankers(uow: UnitOfWork, query: ShowRankers, actor: Actor, ctx: Context) -> Rankers:
    versions = uow.rankers.all()
    in_use = next((v.id for v in versions if v.in_use), None)
    return Rankers(versions, in_use)


def rank_with_team_model(uow: UnitOfWork, live: LiveIndex) -> None:
    """Inside an open unit of work: make search use the ranker in use (shipped if none)."""
    version = uow.rankers.in_use()
    live.use_ranker(version.model if version else None)
