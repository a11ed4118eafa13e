"""R-REC-2: linking instead of re-investigating — a verdict on a pair of tickets changes what
similar-ticket search shows at once, and is kept as a labelled pair for re-training."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from escdesk.domain.errors import Forbidden, InvalidInput, NotFound
from escdesk.services import tickets
from escdesk.services.ticket_judgements import Judged, JudgePair, judge_pair, labelled_pairs
from escdesk.similarity.cache import IndexCache
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.ticket_factories import T0, jsonl, labelled_records


@pytest.fixture
def index(uow: SqlUnitOfWork, tmp_path: Path, now: datetime) -> IndexCache:
    cache = IndexCache(tmp_path / "index")
    path = jsonl(tmp_path / "labelled.jsonl", labelled_records(T0))
    tickets.import_file(uow, cache, path, format="jsonl", now=now)
    return cache


def judge(
    uow: SqlUnitOfWork, now: datetime, a: str, b: str, verdict: str, by: str | None = None
) -> Judged:
    judged: Judged = factories.act(
        uow, JudgePair.parse(a, b, verdict), now=now, by=by, handler=judge_pair
    )
    return judged


def similar(uow: SqlUnitOfWork, index: IndexCache, key: str, k: int = 5) -> list[str]:
    return [m.key for m in tickets.similar_tickets(uow, index, [key], k=k)[0].matches]


def test_a_pair_judged_unrelated_is_not_shown_again(
    uow: SqlUnitOfWork, index: IndexCache, now: datetime
) -> None:
    before = similar(uow, index, "L-5", k=3)
    wrong = before[1]

    judge(uow, now, "L-5", wrong, "not-related")

    after = similar(uow, index, "L-5", k=3)
    assert wrong not in after and after[0] == before[0]
    assert len(after) == 3 and after[2] not in before  # the next one moves up into the list


def test_a_confirmed_duplicate_comes_first_marked_linked_even_from_outside_the_top(
    uow: SqlUnitOfWork, index: IndexCache, now: datetime
) -> None:
    before = similar(uow, index, "L-5")
    outsider = next(f"L-{n}" for n in range(1, 32) if f"L-{n}" not in before and f"L-{n}" != "L-5")

    judge(uow, now, outsider, "L-5", "duplicate")  # either order names the same pair

    result = tickets.similar_tickets(uow, index, ["L-5"], k=5)[0]
    first = result.matches[0]
    assert (first.key, first.linked, first.strength) == (outsider, True, "strong")
    assert [m.key for m in result.matches[1:]] == before[:4]  # still k in all


def test_a_later_verdict_replaces_the_earlier_and_pairs_are_labelled(
    uow: SqlUnitOfWork, index: IndexCache, now: datetime
) -> None:
    first = judge(uow, now, "L-5", "L-1", "duplicate")
    again = judge(uow, now, "L-1", "L-5", "not related")
    judge(uow, now, "L-2", "L-3", "duplicate")

    assert not first.replaced and again.replaced
    pairs = {(p.ticket, p.other, p.duplicate) for p in labelled_pairs(uow)}
    assert pairs == {("L-5", "L-1", False), ("L-2", "L-3", True)}


def test_bad_verdicts_name_the_field(uow: SqlUnitOfWork, index: IndexCache, now: datetime) -> None:
    with pytest.raises(InvalidInput) as bad:
        JudgePair.parse("L-1", "L-2", "maybe")
    assert bad.value.field == "verdict"
    with pytest.raises(InvalidInput) as same:
        judge(uow, now, "L-1", "L-1", "duplicate")
    assert same.value.field == "other"
    with pytest.raises(NotFound):
        judge(uow, now, "L-1", "NOPE-9", "duplicate")
    assert labelled_pairs(uow) == []


def test_only_people_who_manage_recurring_issues_judge_pairs(
    uow: SqlUnitOfWork, index: IndexCache, now: datetime
) -> None:
    seller = factories.add_person(uow, "sales", now=now).email
    with pytest.raises(Forbidden):
        judge(uow, now, "L-5", "L-1", "duplicate", by=seller)
    support = factories.add_person(uow, "support", now=now).email
    assert judge(uow, now, "L-5", "L-1", "duplicate", by=support).judgement.judged_by
