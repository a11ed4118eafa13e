"""Recurring issues by the re-ranked similarity (R-REC-1): strong matches, guarded links.

One pass in time order, like the cosine pass of `grouping`, and the same cosine first: each
ticket's tf-idf cosine (common terms left out) to the `WINDOW` tickets before it, in blocks.
No earlier ticket at `JOIN_COSINE` or more: it starts a group, no search could find it a match.
One worded almost the same (cosine ≥ `SURE_COSINE`): it joins that ticket's group, whatever the
re-ranker would prefer (on generated helpdesk tickets the model, trained on bug reports, often
prefers another). Only in between is it compared with the earlier tickets as `tickets similar
--earlier-only` compares them: BM25F candidates, the learned re-ranker's probability that each
is the twin; the best pulls the ticket into its group — whichever of the group's tickets it is —
when it is a strong match (probability ≥ `STRONG_MATCH`) and the two share distinctive words
(cosine ≥ `JOIN_COSINE`): the probability is relative to the ticket's own candidates, so alone
it finds a "twin" for almost every ticket. Searching only there makes the pass a few times the
cosine pass on helpdesk tickets (most have a near-identical predecessor), not a hundred.

Two guards keep single links from chaining. A ticket joins a group of two or more only when
its mean cosine to the group's tickets in the window reaches `AVERAGE_COSINE` (average link):
one strong match to one ticket of a pair does not make it the pair's cause. And when it also
matches tickets of another group, that group folds in only when the ticket matches, at a
cosine of `FOLD_COSINE`, every ticket of both groups among its `FOLD_CANDIDATES` best matches.

What people decided stays as they left it. Groups already stored when the pass starts (after a
full rebuild: the issues a person confirmed, named, linked, fixed, merged or split off) take new
tickets but never fold into each other, and their tickets never move; only groups born in this
pass fold, into each other or into one stored group.

Measured on public bug reports with known duplicate groups, B-cubed over the tickets with a
known duplicate (bench/clustering_quality.py, re-ranker never trained on the set scored;
`AVERAGE_COSINE` chosen on GitBugs): on GitBugs the cosine pass alone reaches precision 0.97 at
recall 0.62, this one 0.98 at 0.81 (0.94 at 0.82 without the average-link guard). On OpenOffice,
where every ticket is scored, precision falls from 0.91 to 0.73 (0.52 unguarded): there the
re-ranker's best earlier match is a twin for only 44 % of the tickets that have one (the
cosine's for 32 %), and a strong match at a cosine between 0.15 and 0.4 for 30 %: no gate on
these signals reaches recall 0.8 at precision 0.9 there. Hence not the default.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.similarity.corpus import Corpus
from escdesk.similarity.query import make_query
from escdesk.similarity.reranker import Reranker
from escdesk.similarity.search import CANDIDATES, STRONG_PROBABILITY, ranked

UNCLUSTERED = np.iinfo(np.int64).min  # cluster ids can be negative (a split-off part's)
STRONG_MATCH = STRONG_PROBABILITY  # what `tickets similar` calls a "strong" match (0.9)
SURE_COSINE = 0.7  # a candidate worded this alike decides, whatever the re-ranker prefers
JOIN_COSINE = 0.15  # and the two tickets' tf-idf cosine (common terms left out) at least this
FOLD_COSINE = 0.4  # a further strong match folds its group in only at this cosine,
FOLD_SHARE = 1.0  # and only when the ticket matches this share of the tickets of both groups
FOLD_CANDIDATES = 10  # among its ten best matches
AVERAGE_COSINE = 0.2  # and it joins a group of two or more only at this mean cosine to them
WINDOW = 5_000  # earlier tickets compared by cosine (as in `grouping`)
BLOCK = 1_000  # tickets whose cosines are computed in one product


@dataclass(frozen=True)
class Joined:
    """Where one ticket went: `cluster` is the id of the cluster's first ticket."""

    ticket_id: int
    cluster: int
    neighbour: int | None
    similarity: float | None


@dataclass
class _Groups:
    """Union-find over cluster ids; stored clusters are fixed and never fold into each other."""

    fixed: set[int]
    size: Counter[int]
    parent: dict[int, int] = field(default_factory=dict)

    def find(self, cluster: int) -> int:
        root = cluster
        while (up := self.parent.get(root, root)) != root:
            root = up
        while cluster != root:  # path compression
            cluster, self.parent[cluster] = self.parent.get(cluster, cluster), root
        return root

    def fold(self, keep: int, other: int) -> bool:
        """Fold `other` into `keep` (both roots); refused when both are stored clusters."""
        if other in self.fixed:
            if keep in self.fixed:
                return False
            keep, other = other, keep
        self.parent[other] = keep
        self.size[keep] += self.size.pop(other, 0)
        return True


def link_in_time_order(
    corpus: Corpus,
    model: Reranker,
    vectors: sp.csr_matrix,
    ticket_of_row: npt.NDArray[np.int64],
    cluster_of_row: npt.NDArray[np.int64],
    todo: npt.NDArray[np.int64],
    *,
    strong: float = STRONG_MATCH,
    alike: float = JOIN_COSINE,
    fold_alike: float = FOLD_COSINE,
    fold_share: float = FOLD_SHARE,
    sure: float = SURE_COSINE,
    average: float = AVERAGE_COSINE,
    window: int = WINDOW,
) -> list[Joined]:
    """Cluster the corpus rows in `todo` (taken oldest first); `cluster_of_row` (UNCLUSTERED:
    not clustered) holds every other ticket's cluster and is updated. Row i of `vectors` is corpus
    row i as unit-length tf-idf (`grouping.ticket_vectors`)."""
    stored = cluster_of_row[cluster_of_row != UNCLUSTERED]
    groups = _Groups(set(np.unique(stored).tolist()), Counter(stored.tolist()))
    timeline, position, todo = in_time_order(corpus, ticket_of_row, todo)
    unit = sp.csr_matrix(vectors[timeline])
    joined: list[Joined] = []
    for block in blocks(position[todo], window):
        first = max(int(block[0]) - window, 0)
        scores = sp.csr_matrix(unit[block] @ unit[first : int(block[-1])].T)
        for n, query in enumerate(block.tolist()):
            part = slice(scores.indptr[n], scores.indptr[n + 1])
            columns, values = scores.indices[part].astype(np.int64), scores.data[part]
            keep = (columns < query - first) & (columns >= query - first - window)
            seen = timeline[max(query - window, 0) : query]
            rows = timeline[first + columns[keep]]
            known = cluster_of_row[rows] != UNCLUSTERED  # all are, when todo holds the rest
            earlier = _Earlier(rows[known], values[keep][known], seen)
            row = int(timeline[query])
            found = _match(corpus, model, vectors, row, earlier, cluster_of_row, groups, strong,
                           alike, fold_alike, fold_share, sure, average)  # fmt: skip
            ticket = int(ticket_of_row[row])
            if found is None:
                cluster_of_row[row] = ticket
                groups.size[ticket] = 1
                joined.append(Joined(ticket, ticket, None, None))
                continue
            target, neighbour, similarity = found
            cluster_of_row[row] = target
            groups.size[target] += 1
            joined.append(Joined(ticket, target, int(ticket_of_row[neighbour]), similarity))
    resolved = [replace(j, cluster=groups.find(j.cluster)) for j in joined]
    for row in todo.tolist():
        cluster_of_row[row] = groups.find(int(cluster_of_row[row]))
    return resolved


@dataclass(frozen=True)
class _Earlier:
    """The tickets before one ticket (within the window) that share words with it, and how
    alike each is (cosine)."""

    rows: npt.NDArray[np.int64]
    cosine: npt.NDArray[np.float32]
    window: npt.NDArray[np.int64]  # every ticket row of the window, alike or not


def _match(
    corpus: Corpus,
    model: Reranker,
    vectors: sp.csr_matrix,
    row: int,
    earlier: _Earlier,
    cluster_of_row: npt.NDArray[np.int64],
    groups: _Groups,
    strong: float,
    alike: float,
    fold_alike: float,
    fold_share: float,
    sure: float,
    average: float,
) -> tuple[int, int, float] | None:
    """The group this row joins, the ticket row it matched and how strongly; None: its own."""
    best = int(np.argmax(earlier.cosine)) if earlier.rows.size else -1
    if best < 0 or earlier.cosine[best] < alike:
        return None  # no earlier ticket shares distinctive words: no search can find a match
    if earlier.cosine[best] >= sure:  # worded alike: the same cause, whatever the re-ranker says
        # The most alike first; among equals the latest (the freshest sighting).
        head = np.lexsort((-np.arange(earlier.rows.size), -earlier.cosine))[:FOLD_CANDIDATES]
        rows, cosine = earlier.rows[head], earlier.cosine[head]
        similarity, also = float(cosine[0]), cosine >= fold_alike
    else:
        rows, probability, _ = ranked(
            corpus, model, make_query(corpus, corpus.ids[row]), CANDIDATES, True
        )
        rows, probability = rows[:FOLD_CANDIDATES], probability[:FOLD_CANDIDATES]
        cosine = np.asarray((vectors[rows] @ vectors[row].T).todense()).ravel()
        clustered = cluster_of_row[rows] != UNCLUSTERED
        if not (rows.size and clustered[0] and probability[0] >= strong and cosine[0] >= alike):
            return None
        similarity = float(probability[0])
        also = clustered & (probability >= strong) & (cosine >= fold_alike)
    target = groups.find(int(cluster_of_row[rows[0]]))
    if not _holds(earlier, cluster_of_row, target, average):
        return None
    matched = Counter(groups.find(int(c)) for c in cluster_of_row[rows[also]].tolist())
    for other in sorted(matched, key=lambda c: (-matched[c], c)):
        if groups.find(other) != other or other == target:
            continue  # folded already, or the group it joins
        if all(matched[c] >= math.ceil(fold_share * groups.size[c]) for c in (target, other)):
            both = matched[target] + matched[other]
            if groups.fold(target, other):
                kept = groups.find(target)
                cluster_of_row[np.isin(cluster_of_row, (target, other))] = kept
                target, matched[kept] = kept, both
    return target, int(rows[0]), round(similarity, 4)


def _holds(
    earlier: _Earlier, cluster_of_row: npt.NDArray[np.int64], target: int, average: float
) -> bool:
    """Whether a ticket is alike enough to the group it would join as a whole (average link):
    its mean cosine to the group's tickets in the window reaches `average`, or the group has
    fewer than two of them there. One strong match to one ticket of a pair is not enough."""
    if average <= 0:
        return True
    members = int(np.count_nonzero(cluster_of_row[earlier.window] == target))
    if members < 2:
        return True
    total = float(earlier.cosine[cluster_of_row[earlier.rows] == target].sum())
    return total >= average * members


def in_time_order(
    corpus: Corpus, ticket_of_row: npt.NDArray[np.int64], todo: npt.NDArray[np.int64]
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The order both passes walk: every live ticket row oldest first (ties by ticket id), each
    row's place in it (-1: not live), and the rows of `todo` that are live, in that order."""
    size = min(ticket_of_row.size, corpus.alive.size)
    live = np.flatnonzero(corpus.alive[:size] & (ticket_of_row[:size] >= 0))
    timeline = live[np.lexsort((ticket_of_row[live], corpus.created[live]))]
    position = np.full(max(ticket_of_row.size, corpus.alive.size), -1, dtype=np.int64)
    position[timeline] = np.arange(timeline.size)
    todo = todo[position[todo] >= 0]
    return timeline, position, todo[np.argsort(position[todo], kind="stable")]


def blocks(positions: npt.NDArray[np.int64], window: int) -> list[npt.NDArray[np.int64]]:
    """Runs of at most BLOCK positions spanning at most `window`, so every product is small."""
    out: list[npt.NDArray[np.int64]] = []
    start = 0
    while start < positions.size:
        end = min(start + BLOCK, positions.size)
        span_end = int(np.searchsorted(positions, positions[start] + window, side="right"))
        end = max(min(end, span_end), start + 1)
        out.append(positions[start:end])
        start = end
    return out
