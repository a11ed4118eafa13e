"""R-REC-1: grouping by the re-ranked similarity — a ticket joins a group through any of its
tickets when it is alike enough to the group as a whole, folds groups only when that cannot
chain, and never regroups what was stored.

The logic tests use a stand-in re-ranker whose probability follows the text cosine alone, so
which pairs are strong is plain from the words; the others use the shipped model.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import numpy as np
import numpy.typing as npt

from escdesk.domain.ticket import Ticket
from escdesk.importers.jsonl import ticket_from
from escdesk.similarity import SimilarityIndex
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.features import FEATURES
from escdesk.similarity.grouping import Grouping, ticket_vectors
from escdesk.similarity.linking import SURE_COSINE, UNCLUSTERED, Joined, link_in_time_order
from escdesk.similarity.reranker import Reranker, default_reranker
from tests.similarity.factories import T0, helpdesk, ticket
from tests.similarity.test_frames import FAILURES, trace_tickets
from tests.ticket_factories import LABELLED, labelled_records

WORDS = (
    "amber basil cedar dune ember fjord glade heron iris jade kelp lotus maple nectar onyx "
    "pearl quartz reed sage tulip umber violet willow yarrow zinnia"
).split()


def by_cosine() -> Reranker:
    """Probability ≥ 0.9 exactly when the pair's text cosine is above about 0.35."""
    coefficients = [0.0] * len(FEATURES)
    coefficients[FEATURES.index("text_cosine")] = 40.0
    n = len(FEATURES)
    return Reranker((0.0,) * n, (1.0,) * n, tuple(coefficients), -40.0 * 0.3)


def filler() -> list[Ticket]:
    """Unrelated one-offs, so the words of the groups under test are rare."""
    return [
        ticket(
            f"{WORDS[i % 25]} {WORDS[(i * 7 + 3) % 25]} question",
            f"{WORDS[(i * 3 + 1) % 25]} {WORDS[(i * 11 + 5) % 25]} {WORDS[(i * 5 + 2) % 25]}",
            at=T0 + timedelta(days=10, hours=i),
        )
        for i in range(30)
    ]


def day(n: float) -> datetime:
    return T0 + timedelta(days=20 + n)


def quota(n: int, start: float = 0) -> list[Ticket]:
    phrasings = [
        ("Quota sync stalls on tenant rebalance", "quota sync stalls when tenant rebalance runs"),
        ("Tenant rebalance stalls quota sync", "the quota sync stalls during tenant rebalance"),
        ("Quota sync stall after tenant rebalance", "rebalance of a tenant stalls the quota sync"),
    ]  # fmt: skip
    return [ticket(*phrasings[i % 3], at=day(start + i / 10)) for i in range(n)]


def spooler(n: int, start: float = 3) -> list[Ticket]:
    phrasings = [
        ("Printer spooler drops duplex jobs", "duplex jobs vanish from the printer spooler"),
        ("Duplex jobs dropped by printer spooler", "printer spooler drops every duplex job"),
    ]
    return [ticket(*phrasings[i % 2], at=day(start + i / 10)) for i in range(n)]


BRIDGE = (
    "Quota sync stalls and printer spooler drops duplex jobs",
    "quota sync stalls on tenant rebalance; printer spooler drops duplex jobs",
)


def link_all(
    tickets: list[Ticket],
    model: Reranker,
    clusters: npt.NDArray[np.int64] | None = None,
    **kw: float,
) -> tuple[Corpus, list[Joined], npt.NDArray[np.int64]]:
    corpus = Corpus()
    corpus.add(tickets)
    rows = np.arange(corpus.rows, dtype=np.int64)
    clusters = np.full(rows.size, UNCLUSTERED, dtype=np.int64) if clusters is None else clusters
    todo = np.flatnonzero(clusters == UNCLUSTERED)
    vectors = ticket_vectors(corpus, rows)
    joined = link_in_time_order(corpus, model, vectors, rows.copy(), clusters, todo, **kw)
    return corpus, joined, clusters


def group_of(corpus: Corpus, clusters: npt.NDArray[np.int64], tickets: list[Ticket]) -> set[int]:
    rows = [corpus.row_of(t.external_id) for t in tickets]
    return {int(clusters[row]) for row in rows if row is not None}


def test_a_ticket_joins_a_group_through_any_of_its_tickets_not_only_the_first() -> None:
    first, second, third = quota(3)
    corpus, joined, clusters = link_all(helpdesk() + filler() + [first, second, third], by_cosine())
    last = joined[-1]
    assert group_of(corpus, clusters, [first, second, third]) == {corpus.row_of(first.external_id)}
    assert last.neighbour == corpus.row_of(second.external_id)  # its best match, not the seed
    assert last.similarity is not None and last.similarity >= 0.9


def test_a_ticket_that_strongly_matches_every_ticket_of_a_small_group_folds_it_in() -> None:
    quotas, spoolers = quota(3), spooler(2)
    bridge = ticket(*BRIDGE, at=day(5))
    corpus, _, clusters = link_all(
        helpdesk() + filler() + quotas + spoolers + [bridge], by_cosine()
    )
    assert len(group_of(corpus, clusters, quotas + spoolers + [bridge])) == 1


def test_a_ticket_that_matches_only_part_of_a_group_does_not_fold_it() -> None:
    """Six and six: among its ten best matches the bridge holds all spooler tickets but only
    four of the quota ones, so the two causes stay apart; unguarded single link glues them."""
    quotas, spoolers = quota(6), spooler(6)
    bridge = ticket(*BRIDGE, at=day(5))
    tickets = helpdesk() + filler() + quotas + spoolers + [bridge]

    corpus, _, clusters = link_all(tickets, by_cosine())
    assert len(group_of(corpus, clusters, quotas)) == len(group_of(corpus, clusters, spoolers)) == 1
    assert group_of(corpus, clusters, quotas) != group_of(corpus, clusters, spoolers)

    corpus, _, unguarded = link_all(tickets, by_cosine(), fold_share=0.0)
    assert len(group_of(corpus, unguarded, quotas + spoolers)) == 1  # what the guard prevents


def test_a_strong_match_to_one_ticket_of_a_pair_unlike_the_other_does_not_join_it() -> None:
    """Average link: the newcomer shares words with the ledger ticket (cosine 0.38, a strong
    match) but none with its twin, so its mean cosine to the pair is 0.19, under 0.2."""
    ledger = ticket("Ledger export zorblax fails on plinth",
                    "ledger export zorblax fails on plinth",
                    at=day(0))  # fmt: skip
    twin = ticket("Ledger export quintek mismatch", "ledger export shows a quintek mismatch",
                  at=day(0.1))  # fmt: skip
    newcomer = ticket("Zorblax plinth vorbit harbour drift",
                      "zorblax on plinth when vorbit harbour runs", at=day(0.2))  # fmt: skip
    base = helpdesk() + filler()

    corpus, joined, clusters = link_all(base + [ledger, twin, newcomer], by_cosine())
    assert joined[-2].neighbour == corpus.row_of(ledger.external_id)  # the pair holds
    assert joined[-1].neighbour is None
    assert group_of(corpus, clusters, [newcomer]) != group_of(corpus, clusters, [ledger])

    corpus, _, clusters = link_all(base + [ledger, twin, newcomer], by_cosine(), average=0.0)
    assert len(group_of(corpus, clusters, [ledger, twin, newcomer])) == 1  # what it prevents

    corpus, _, clusters = link_all(base + [ledger, newcomer], by_cosine())
    assert len(group_of(corpus, clusters, [ledger, newcomer])) == 1  # alone, the ledger ticket


def test_groups_stored_before_the_pass_take_new_tickets_but_never_fold() -> None:
    """After a full rebuild the stored groups are what people kept, confirmed or split off."""
    quotas, spoolers = quota(3), spooler(2)
    bridge = ticket(*BRIDGE, at=day(5))
    tickets = helpdesk() + filler() + quotas + spoolers + [bridge]
    clusters = np.full(len(tickets), UNCLUSTERED, dtype=np.int64)
    clusters[: -1 - 5] = np.arange(len(tickets) - 6) + 1000  # one-offs, each on its own
    clusters[-6:-3], clusters[-3:-1] = 7, -3  # a kept issue and a split-off part

    corpus, joined, clusters = link_all(tickets, by_cosine(), clusters)

    assert [j.ticket_id for j in joined] == [len(tickets) - 1]
    assert group_of(corpus, clusters, quotas) == {7}
    assert group_of(corpus, clusters, spoolers) == {-3}
    assert joined[0].cluster in (7, -3)


def test_tickets_sharing_only_junit_frames_are_not_glued_by_the_re_ranker() -> None:
    model = default_reranker()
    assert model is not None
    _, joined, _ = link_all(helpdesk() + trace_tickets(), model)
    traced = joined[-len(FAILURES) :]
    assert all(j.neighbour is None for j in traced), traced


def test_the_labelled_helpdesk_groups_by_cause_with_the_shipped_model() -> None:
    tickets = [ticket_from(r, "helpdesk") for r in labelled_records()]
    index = SimilarityIndex()
    index.add(tickets)
    rows = np.arange(index.corpus.rows, dtype=np.int64)
    none = np.zeros(0, dtype=np.int64)
    joined = Grouping(index.corpus, rows, none, none, model=index.reranker).joined
    cluster = {j.ticket_id: j.cluster for j in joined}
    sizes = Counter(cluster.values())
    for cause in {c for c, _, _ in LABELLED if c}:
        mine = Counter(cluster[n] for n, (c, _, _) in enumerate(LABELLED) if c == cause)
        group, held = mine.most_common(1)[0]
        assert held >= 5, (cause, mine)  # at most one of six left out
        assert sizes[group] == held, (cause, sizes[group], held)  # and nothing else in it
    one_offs = [n for n, (c, _, _) in enumerate(LABELLED) if c is None]
    assert all(sizes[cluster[n]] == 1 for n in one_offs)
    created = index.corpus.created
    vectors = ticket_vectors(index.corpus, rows)
    for j in joined:
        if j.neighbour is not None:  # only ever through an earlier ticket, and a strong match
            assert created[j.neighbour] < created[j.ticket_id]
            cosine = float((vectors[j.ticket_id] @ vectors[j.neighbour].T).toarray()[0, 0])
            # a strong re-ranked match, or a ticket worded alike (its cosine, no search made)
            assert j.similarity is not None
            assert j.similarity >= 0.9 or j.similarity == round(cosine, 4) >= SURE_COSINE
