"""R-REC-1: tickets with one cause are grouped, tickets of different causes are not.

Measured on the hand-labelled helpdesk of tests/ticket_factories.py: five causes, each told six
times in different words, and one-off questions. Purity: every issue holds one cause only.
Completeness: each cause's tickets sit in one issue, at most one of six left out.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from escdesk.domain.recurring_issue import MIN_ISSUE_TICKETS
from escdesk.domain.ticket import Ticket
from escdesk.importers.jsonl import ticket_from
from escdesk.similarity.corpus import Corpus
from escdesk.similarity.grouping import join_in_time_order
from escdesk.similarity.labels import label_for
from tests.ticket_factories import LABELLED, labelled_records


def labelled_index() -> tuple[Corpus, list[Ticket]]:
    tickets = [ticket_from(r, "helpdesk") for r in labelled_records()]
    index = Corpus()
    index.add(tickets)
    return index, tickets


def cluster_all(index: Corpus) -> np.ndarray:
    rows = np.arange(len(index.ids), dtype=np.int64)
    clusters = np.full(rows.size, -1, dtype=np.int64)
    join_in_time_order(index, rows.copy(), clusters, rows)
    return clusters


def issues_of(clusters: np.ndarray) -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for row, cluster in enumerate(clusters.tolist()):
        members[cluster].append(row)
    return {c: rows for c, rows in members.items() if len(rows) >= MIN_ISSUE_TICKETS}


def test_every_issue_found_in_the_labelled_set_holds_one_cause_only() -> None:
    index, _ = labelled_index()
    issues = issues_of(cluster_all(index))
    causes = [{LABELLED[row][0] for row in rows} for rows in issues.values()]
    assert len(issues) >= 5
    assert all(len(found) == 1 and None not in found for found in causes), causes


def test_each_cause_of_the_labelled_set_ends_up_in_one_issue() -> None:
    index, _ = labelled_index()
    clusters = cluster_all(index)
    issues = issues_of(clusters)
    for cause in {c for c, _, _ in LABELLED if c}:
        rows = [n for n, (c, _, _) in enumerate(LABELLED) if c == cause]
        biggest = Counter(int(clusters[r]) for r in rows if int(clusters[r]) in issues)
        assert biggest, f"{cause}: no issue"
        assert biggest.most_common(1)[0][1] >= len(rows) - 1, f"{cause}: {biggest}"


def test_one_off_questions_join_no_issue() -> None:
    index, _ = labelled_index()
    clusters = cluster_all(index)
    issues = issues_of(clusters)
    one_offs = [n for n, (cause, _, _) in enumerate(LABELLED) if cause is None]
    assert [n for n in one_offs if int(clusters[n]) in issues] == []


def test_a_ticket_only_ever_joins_an_earlier_ticket() -> None:
    index, _ = labelled_index()
    rows = np.arange(len(index.ids), dtype=np.int64)
    clusters = np.full(rows.size, -1, dtype=np.int64)
    joined = join_in_time_order(index, rows.copy(), clusters, rows)
    assert joined[0].neighbour is None and joined[0].cluster == 0
    for j in joined:
        if j.neighbour is not None:
            assert index.created[j.neighbour] < index.created[j.ticket_id]
            assert j.similarity is not None and j.similarity >= 0.4


def test_new_tickets_join_the_clusters_of_earlier_ones_without_reclustering() -> None:
    index, tickets = labelled_index()
    first = len(tickets) - 6
    rows = np.arange(len(index.ids), dtype=np.int64)
    clusters = np.full(rows.size, -1, dtype=np.int64)
    join_in_time_order(index, rows.copy(), clusters, rows[:first])
    before = clusters[:first].copy()
    join_in_time_order(index, rows.copy(), clusters, rows[first:])
    assert (clusters[:first] == before).all()
    once = cluster_all(index)
    issues = issues_of(once)
    for row in range(first, len(tickets)):
        if int(once[row]) in issues:
            assert clusters[row] == once[row]


def test_an_issue_is_labelled_with_the_terms_its_tickets_share() -> None:
    index, tickets = labelled_index()
    rows = np.array([n for n, (c, _, _) in enumerate(LABELLED) if c == "ldap"], dtype=np.int64)
    label = label_for(index, rows, [tickets[r] for r in rows])
    assert label is not None
    assert "LDAP" in label and ("sync" in label or "timeout" in label)
