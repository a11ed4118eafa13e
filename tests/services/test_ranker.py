"""R-REC-2: a ranking that learns from the team — a refit is kept only when it ranks the team's
held-back links better, its figures are recorded either way, and it can be undone."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from escdesk.bootstrap import bootstrap
from escdesk.config import Settings
from escdesk.domain.errors import Forbidden, InvalidInput, NotFound, RuleRefused
from escdesk.services import tickets
from escdesk.services.ranker import (
    Rankers,
    ShowRankers,
    Trained,
    TrainRanker,
    TrainRankerHandler,
    UseRanker,
    show_rankers,
    use_ranker,
)
from escdesk.services.ticket_judgements import JudgePair, judge_pair
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.ranker_factories import query_keys, team_helpdesk
from tests.ticket_factories import jsonl

FRESH = "Q-fresh"  # a query nobody judged: its order is the ranker's alone


def desk(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime, *, train: int, held: int, flip: bool
) -> tuple[IndexCache, list[str]]:
    """The team's helpdesk imported and its verdicts given (none on `FRESH`); the held-back
    query keys."""
    held_keys = query_keys(held, held=True)
    records, verdicts = team_helpdesk(
        query_keys(train, held=False) + held_keys + [FRESH], set(held_keys) if flip else set()
    )
    verdicts = [v for v in verdicts if v[0] != FRESH]
    index = IndexCache(tmp_path / "index")
    tickets.import_file(
        uow, index, jsonl(tmp_path / "team.jsonl", records), format="jsonl", now=now
    )
    for ticket, other, verdict in verdicts:
        factories.act(uow, JudgePair.parse(ticket, other, verdict), now=now, handler=judge_pair)
    return index, held_keys


def train(uow: SqlUnitOfWork, index: IndexCache, now: datetime, by: str | None = None) -> Trained:
    trained: Trained = factories.act(
        uow, TrainRanker(), now=now, by=by, handler=TrainRankerHandler(index)
    )
    return trained


def first_match(uow: SqlUnitOfWork, index: IndexCache, key: str) -> str:
    """What search puts first for `key`, verdicts aside (the pair's own verdict would pin it)."""
    return tickets.similar_tickets(uow, index, [key], k=3, details=False)[0].matches[0].key


def rankers(uow: SqlUnitOfWork) -> Rankers:
    result: Rankers = factories.ask(uow, show_rankers, ShowRankers())
    return result


def test_a_refit_that_ranks_held_back_links_better_is_kept_and_used(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    index, held = desk(uow, tmp_path, now, train=24, held=8, flip=False)

    trained = train(uow, index, now)

    v = trained.version
    assert v.kept and v.in_use and trained.not_kept_because is None
    assert v.figures["held_back_queries"] == 8 and v.figures["training_queries"] == 24
    assert v.figures["new"]["mrr"] == 1.0 and v.figures["current"]["mrr"] == 0.5
    assert v.figures["compared_with"] == "shipped"
    weights = dict(zip(v.model["features"], v.model["coefficients"], strict=True))
    assert weights["same_account"] > 1.0  # the team's pairs weighed the account
    listed = rankers(uow)
    assert listed.in_use == v.id and [r.id for r in listed.versions] == [v.id]
    with uow:
        events = uow.session.scalars(text("select type from events where subject = 'ranker'"))
        assert list(events) == ["ranker_trained"]


def test_a_refit_that_ranks_held_back_links_worse_is_recorded_but_not_used(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    index, held = desk(uow, tmp_path, now, train=24, held=8, flip=True)

    trained = train(uow, index, now)

    v = trained.version
    assert not v.kept and not v.in_use
    assert v.figures["new"]["mrr"] < v.figures["current"]["mrr"] == 1.0
    assert "no better" in (trained.not_kept_because or "")
    assert rankers(uow).in_use is None and [r.id for r in rankers(uow).versions] == [v.id]


def test_too_few_held_back_links_keep_the_ranker_in_use(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    index, _ = desk(uow, tmp_path, now, train=4, held=2, flip=False)

    trained = train(uow, index, now)

    assert not trained.version.kept
    assert "2 held-back queries" in (trained.not_kept_because or "")
    model = trained.version.model
    weights = dict(zip(model["features"], model["coefficients"], strict=True))
    assert 0 < weights["same_account"] < 1.0  # a handful of links: shrunk, not ignored


def test_search_uses_the_ranker_in_use_and_reset_undoes_it(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    index, _ = desk(uow, tmp_path, now, train=24, held=8, flip=False)
    assert first_match(uow, index, FRESH) == "D-fresh"  # the shipped ranker reads the words
    version = train(uow, index, now).version
    assert version.in_use
    assert first_match(uow, index, FRESH) == "T-fresh"  # the team's: same account first

    factories.act(uow, UseRanker.parse(None, reset=True), now=now, handler=use_ranker)
    assert rankers(uow).in_use is None
    assert first_match(uow, index, FRESH) == "D-fresh"

    factories.act(uow, UseRanker.parse(version.id, reset=False), now=now, handler=use_ranker)
    assert rankers(uow).in_use == version.id
    assert first_match(uow, index, FRESH) == "T-fresh"
    with uow:
        events = uow.session.scalars(text("select type from events where subject = 'ranker'"))
        assert list(events) == ["ranker_trained", "ranker_reset", "ranker_chosen"]


def test_training_needs_linked_duplicates_and_the_right(
    uow: SqlUnitOfWork, tmp_path: Path, now: datetime
) -> None:
    index = IndexCache(tmp_path / "index")
    with pytest.raises(RuleRefused):
        train(uow, index, now)
    seller = factories.add_person(uow, "sales", now=now)
    with pytest.raises(Forbidden):
        train(uow, index, now, by=seller.email)


def test_choosing_names_a_stored_version(uow: SqlUnitOfWork, now: datetime) -> None:
    with pytest.raises(NotFound):
        factories.act(uow, UseRanker.parse(7, reset=False), now=now, handler=use_ranker)
    with pytest.raises(InvalidInput) as both:
        UseRanker.parse(7, reset=True)
    assert both.value.field == "use"
    with pytest.raises(InvalidInput):
        UseRanker.parse(None, reset=False)


def test_the_worker_retrains_only_when_told_to(
    uow: SqlUnitOfWork, engine: Engine, database_url: str, tmp_path: Path, now: datetime
) -> None:
    off = bootstrap(Settings(database_url=database_url), engine=engine, clock=lambda: now)
    assert "ranker_training" not in [job.name for job in off.worker().periodic]
    settings = Settings(database_url=database_url, index_dir=tmp_path / "worker-index",
                        ranker_training_days=7)  # fmt: skip
    on = bootstrap(settings, engine=engine, clock=lambda: now)
    assert on.train_ranker(now) is False  # nothing linked yet: skipped, not failed
    desk(uow, tmp_path, now, train=24, held=8, flip=False)

    (job,) = [job for job in on.worker().periodic if job.name == "ranker_training"]
    assert job.every == timedelta(days=7)
    assert job.run(now) is True
    assert rankers(uow).in_use == 1
