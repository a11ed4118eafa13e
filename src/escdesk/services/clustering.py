"""Clustering tickets into recurring issues (R-REC-1): one pass in time order, incremental.

`update_issues` groups the tickets not clustered yet (see `escdesk.recurring.clusters`); a
cluster that reaches `MIN_ISSUE_TICKETS` becomes a candidate issue labelled from its shared
terms, and unnamed issues that gained tickets are labelled again. Issues people confirmed,
named, linked or fixed keep their tickets even through a full rebuild.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from datetime import datetime

import numpy as np
import numpy.typing as npt

from escdesk.domain.recurring_issue import RecurringIssue
from escdesk.recurring import SimilarityIndex
from escdesk.recurring.clusters import MIN_ISSUE_TICKETS, join_in_time_order
from escdesk.recurring.labels import label_for
from escdesk.services.ports import UnitOfWork
from escdesk.services.recurring_ports import Member
from escdesk.services.ticket_index import TicketIndex
from escdesk.services.ticket_views import ClusterReport

LABEL_SAMPLE = 40
UNLABELLED = "tickets with no shared terms"


def update_issues(
    uow: UnitOfWork, index: TicketIndex, *, now: datetime, full: bool = False
) -> ClusterReport:
    """Cluster the tickets not clustered yet; new tickets join existing clusters and issues.
    `full` first forgets every cluster no person has touched and clusters those tickets anew
    (issues people confirmed, named, linked or fixed keep their tickets)."""
    started = time.perf_counter()
    with uow, index.using(uow.tickets) as live:
        if full:
            uow.recurring.forget_candidates()
        state = uow.recurring.cluster_state()
        ticket_of_row = index.ticket_ids()
        row_of_ticket = _inverse(ticket_of_row)
        known_rows = _lookup(row_of_ticket, state.ticket_ids)
        cluster_of_row = np.full(ticket_of_row.size, -1, dtype=np.int64)
        present = known_rows >= 0
        cluster_of_row[known_rows[present]] = state.cluster_ids[present]
        todo = np.flatnonzero((cluster_of_row < 0) & (ticket_of_row >= 0) & live.alive)
        joined = join_in_time_order(live, ticket_of_row, cluster_of_row, todo)

        issue_of_cluster = {
            int(c): int(i)
            for c, i in zip(state.cluster_ids, state.issue_ids, strict=True)
            if i >= 0
        }
        sizes = Counter(state.cluster_ids.tolist()) + Counter(j.cluster for j in joined)
        grown = {j.cluster for j in joined}
        promoted = sorted(
            c for c in grown if c not in issue_of_cluster and sizes[c] >= MIN_ISSUE_TICKETS
        )
        rows_of = _rows_by_cluster(cluster_of_row, grown)
        labels = _labels(uow, live, ticket_of_row, [rows_of[c] for c in promoted])
        for cluster, label in zip(promoted, labels, strict=True):
            issue = RecurringIssue(label=label or UNLABELLED, created_at=now)
            uow.recurring.add(issue)
            assert issue.id is not None
            issue_of_cluster[cluster] = issue.id
        had_rows = set(state.cluster_ids.tolist())
        for cluster in promoted:
            if cluster in had_rows:
                uow.recurring.assign_cluster(cluster, issue_of_cluster[cluster])
        uow.recurring.add_members(
            [
                Member(
                    j.ticket_id,
                    j.cluster,
                    issue_of_cluster.get(j.cluster),
                    j.neighbour,
                    j.similarity,
                )
                for j in joined
            ]
        )
        joined_existing = sum(
            1 for j in joined if j.cluster in issue_of_cluster and j.cluster not in promoted
        )
        relabelled = _relabel(
            uow, live, ticket_of_row, cluster_of_row, issue_of_cluster, grown, set(promoted)
        )
        uow.commit()
    return ClusterReport(
        len(joined), joined_existing, len(promoted), relabelled, time.perf_counter() - started
    )


def _inverse(ticket_of_row: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Index row of each ticket id (-1 where the index has none)."""
    size = int(ticket_of_row.max()) + 1 if ticket_of_row.size else 0
    inverse = np.full(max(size, 1), -1, dtype=np.int64)
    rows = np.flatnonzero(ticket_of_row >= 0)
    inverse[ticket_of_row[rows]] = rows
    return inverse


def _lookup(
    inverse: npt.NDArray[np.int64], ticket_ids: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    inside = ticket_ids < inverse.size
    out = np.full(ticket_ids.size, -1, dtype=np.int64)
    out[inside] = inverse[ticket_ids[inside]]
    return out


def _rows_by_cluster(
    cluster_of_row: npt.NDArray[np.int64], clusters: set[int]
) -> dict[int, npt.NDArray[np.int64]]:
    if not clusters:
        return {}
    wanted = np.array(sorted(clusters), dtype=np.int64)
    rows = np.flatnonzero(np.isin(cluster_of_row, wanted))
    rows = rows[np.argsort(cluster_of_row[rows], kind="stable")]
    keys = cluster_of_row[rows]
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], rows.size]
    return {int(keys[s]): rows[s:e] for s, e in zip(starts, ends, strict=True)}


def _labels(
    uow: UnitOfWork,
    live: SimilarityIndex,
    ticket_of_row: npt.NDArray[np.int64],
    groups: list[npt.NDArray[np.int64]],
) -> list[str | None]:
    """A label per group of index rows; the spelling comes from an even sample of each."""
    samples = [rows[:: max(1, rows.size // LABEL_SAMPLE)][:LABEL_SAMPLE] for rows in groups]
    stored = uow.tickets.by_ids(int(ticket_of_row[r]) for rows in samples for r in rows)
    out: list[str | None] = []
    for rows, sample in zip(groups, samples, strict=True):
        tickets = [
            stored[int(ticket_of_row[r])].ticket for r in sample if int(ticket_of_row[r]) in stored
        ]
        out.append(label_for(live, rows, tickets))
    return out


def _relabel(
    uow: UnitOfWork,
    live: SimilarityIndex,
    ticket_of_row: npt.NDArray[np.int64],
    cluster_of_row: npt.NDArray[np.int64],
    issue_of_cluster: dict[int, int],
    grown: set[int],
    promoted: set[int],
) -> int:
    """Unnamed issues that gained tickets get a label from all their tickets now."""
    clusters_of: dict[int, set[int]] = defaultdict(set)
    for cluster, issue_id in issue_of_cluster.items():
        clusters_of[issue_id].add(cluster)
    touched = sorted({issue_of_cluster[c] for c in grown - promoted if c in issue_of_cluster})
    changed = 0
    for issue_id in touched:
        issue = uow.recurring.get(issue_id)
        if issue.named:
            continue
        wanted = np.array(sorted(clusters_of[issue_id]), dtype=np.int64)
        rows = np.flatnonzero(np.isin(cluster_of_row, wanted))
        label = _labels(uow, live, ticket_of_row, [rows])[0]
        if label and label != issue.label:
            issue.relabel_from_terms(label)
            changed += 1
    return changed
