"""Clustering tickets into recurring issues (R-REC-1): one pass in time order, incremental.

`update_issues` groups the tickets not clustered yet (see `escdesk.similarity.grouping`); a
cluster that reaches `MIN_ISSUE_TICKETS` becomes a candidate issue labelled from its shared
terms, and unnamed issues that gained tickets are labelled again. Issues people confirmed,
named, linked or fixed keep their tickets even through a full rebuild.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Collection
from datetime import datetime

from escdesk.domain.recurring_issue import MIN_ISSUE_TICKETS, RecurringIssue
from escdesk.services.ports import UnitOfWork
from escdesk.services.recurring_ports import Member
from escdesk.services.ticket_index import Grouping, LiveIndex, TicketIndex
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
        grouping = live.group(state)
        joined = grouping.joined
        issue_of_cluster = {
            int(c): int(i)
            for c, i in zip(state.cluster_ids.tolist(), state.issue_ids.tolist(), strict=True)
            if i >= 0
        }
        sizes = Counter(state.cluster_ids.tolist()) + Counter(j.cluster for j in joined)
        grown = {j.cluster for j in joined}
        promoted = sorted(
            c for c in grown if c not in issue_of_cluster and sizes[c] >= MIN_ISSUE_TICKETS
        )
        members = grouping.members(grown)
        labels = _labels(uow, live, [members.get(c, []) for c in promoted])
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
        relabelled = _relabel(uow, live, grouping, issue_of_cluster, grown, set(promoted))
        uow.commit()
    return ClusterReport(
        len(joined), joined_existing, len(promoted), relabelled, time.perf_counter() - started
    )


def _labels(uow: UnitOfWork, live: LiveIndex, groups: list[list[int]]) -> list[str | None]:
    """A label per group of ticket ids; the spelling comes from an even sample of each."""
    samples = [ids[:: max(1, len(ids) // LABEL_SAMPLE)][:LABEL_SAMPLE] for ids in groups]
    stored = uow.tickets.by_ids(t for sample in samples for t in sample)
    return [
        live.label(ids, [stored[t].ticket for t in sample if t in stored])
        for ids, sample in zip(groups, samples, strict=True)
    ]


def _relabel(
    uow: UnitOfWork,
    live: LiveIndex,
    grouping: Grouping,
    issue_of_cluster: dict[int, int],
    grown: Collection[int],
    promoted: set[int],
) -> int:
    """Unnamed issues that gained tickets get a label from all their tickets now."""
    clusters_of: dict[int, set[int]] = defaultdict(set)
    for cluster, issue_id in issue_of_cluster.items():
        clusters_of[issue_id].add(cluster)
    touched = sorted({issue_of_cluster[c] for c in set(grown) - promoted if c in issue_of_cluster})
    changed = 0
    for issue_id in touched:
        issue = uow.recurring.get(issue_id)
        if issue.named:
            continue
        label = _labels(uow, live, [grouping.tickets_in(clusters_of[issue_id])])[0]
        if label and label != issue.label:
            issue.relabel_from_terms(label)
            changed += 1
    return changed
