"""The benchmark's ticket generator writes files the jsonl importer reads without a fault."""

from __future__ import annotations

import io
from collections import Counter

from bench.generate_tickets import generate

from escdesk.domain.ticket import Ticket
from escdesk.importers import import_stream


def _import(count: int, seed: int) -> list[Ticket]:
    data = "".join(generate(count, seed)).encode("utf-8")
    return list(import_stream(io.BytesIO(data), "jsonl", source="bench"))


def test_generated_tickets_are_all_valid_and_have_distinct_ids() -> None:
    tickets = _import(5000, seed=3)

    assert len(tickets) == 5000
    assert len({t.external_id for t in tickets}) == 5000
    assert [t.created_at for t in tickets] == sorted(t.created_at for t in tickets)


def test_the_same_seed_writes_the_same_tickets_and_another_seed_does_not() -> None:
    assert list(generate(300, seed=11)) == list(generate(300, seed=11))
    assert list(generate(300, seed=11)) != list(generate(300, seed=12))


def test_generated_tickets_recur_in_skewed_accounts_over_two_years() -> None:
    tickets = _import(5000, seed=3)

    accounts = Counter(t.account for t in tickets)
    largest = accounts.most_common(1)[0][1]
    assert largest > 10 * (5000 / len(accounts))  # a few big customers file most tickets
    subjects = Counter(t.subject for t in tickets)
    assert subjects.most_common(1)[0][1] >= 20  # recurring causes repeat their wording
    assert sum(t.subject.startswith("Re: ") for t in tickets) > 100  # follow-up duplicates
    assert (tickets[-1].created_at - tickets[0].created_at).days > 700
    assert 0.6 < sum(t.product_area is not None for t in tickets) / 5000 < 0.8
