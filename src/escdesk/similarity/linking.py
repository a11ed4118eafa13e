"""Recurring issues by the re-ranked similarity (R-REC-1): strong matches, single link.

One pass in time order, like the cosine pass of `grouping`, but a ticket is compared with the
earlier tickets as `tickets similar --earlier-only` compares them: BM25F finds the candidates,
the learned re-ranker gives each the probability that it is the ticket's duplicate. A candidate
worded almost the same (cosine ≥ `SURE_COSINE`) is taken first whatever the re-ranker's order
(on generated helpdesk tickets the model, trained on bug reports, often prefers another); else
the best of them pulls the ticket into its group — whichever of the group's tickets it is —
when it is a strong match (probability ≥ `STRONG_MATCH`) and the two share distinctive words
(cosine ≥ `JOIN_COSINE`, the `grouping` tf-idf without common terms): the re-ranker's
probability is relative to the ticket's own candidates, so alone it finds a "twin" for almost
every ticket.
When the ticket also strongly matches tickets of another group, that group folds in (single
link) only when this cannot chain: the ticket must match, at a cosine of `FOLD_COSINE`, every
ticket of both groups among its `FOLD_CANDIDATES` best matches, so a fold never makes more than
eleven tickets at once and one ticket that half-resembles two causes never glues them.

What people decided stays as they left it. Groups already stored when the pass starts (after a
full rebuild: the issues a person confirmed, named, linked, fixed, merged or split off) take new
tickets but never fold into each other, and their tickets never move; only groups born in this
pass fold, into each other or into one stored group.

Measured on public bug reports with known duplicate groups, B-cubed over the tickets with a
known duplicate (bench/clustering_quality.py, re-ranker never trained on the set scored): on
GitBugs the cosine pass alone reaches precision 0.97 at recall 0.62, this one 0.94 at 0.81; a
looser join (cosine ≥ 0.1, or probability ≥ 0.8) buys a little recall for much precision, and
unguarded folding makes giant groups. On OpenOffice (every ticket scored) precision falls from
0.91 to 0.52 at this gate (0.95 at a gate of 0.4), and on generated helpdesk tickets purity from
0.998 to 0.85: `JOIN_COSINE` is tuned to GitBugs and does not carry over yet.
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
) -> list[Joined]:
    """Cluster the corpus rows in `todo` (taken oldest first); `cluster_of_row` (UNCLUSTERED:
    not clustered) holds every other ticket's cluster and is updated. Row i of `vectors` is corpus
    row i as unit-length tf-idf (`grouping.ticket_vectors`)."""
    stored = cluster_of_row[cluster_of_row != UNCLUSTERED]
    groups = _Groups(set(np.unique(stored).tolist()), Counter(stored.tolist()))
    order = todo[np.lexsort((ticket_of_row[todo], corpus.created[todo]))]
    joined: list[Joined] = []
    for row in order.tolist():
        ticket = int(ticket_of_row[row])
        rows, probability, _ = ranked(
            corpus, model, make_query(corpus, corpus.ids[row]), CANDIDATES, True
        )
        cosine = np.asarray((vectors[rows] @ vectors[row].T).todense()).ravel()
        clustered = cluster_of_row[rows] != UNCLUSTERED
        same = np.flatnonzero(clustered & (cosine >= sure))
        if same.size:  # worded alike: the same cause, whatever the re-ranker's order
            best = int(same[np.argmax(cosine[same])])
            rows = np.r_[rows[best], np.delete(rows, best)]
            probability = np.r_[probability[best], np.delete(probability, best)]
            cosine = np.r_[cosine[best], np.delete(cosine, best)]
            clustered = np.r_[clustered[best], np.delete(clustered, best)]
        elif not (rows.size and clustered[0] and probability[0] >= strong and cosine[0] >= alike):
            cluster_of_row[row] = ticket
            groups.size[ticket] = 1
            joined.append(Joined(ticket, ticket, None, None))
            continue
        rows, probability = rows[:FOLD_CANDIDATES], probability[:FOLD_CANDIDATES]
        cosine, clustered = cosine[:FOLD_CANDIDATES], clustered[:FOLD_CANDIDATES]
        target = groups.find(int(cluster_of_row[rows[0]]))
        also = clustered & (probability >= strong) & (cosine >= fold_alike)
        matched = Counter(groups.find(int(c)) for c in cluster_of_row[rows[also]].tolist())
        for other in sorted(matched, key=lambda c: (-matched[c], c)):
            if groups.find(other) != other or other == target:
                continue  # folded already, or the group it joins
            if all(matched[c] >= math.ceil(fold_share * groups.size[c]) for c in (target, other)):
                both = matched[target] + matched[other]
                if groups.fold(target, other):
                    target = groups.find(target)
                    matched[target] = both
        cluster_of_row[row] = target
        groups.size[target] += 1
        neighbour = int(ticket_of_row[int(rows[0])])
        joined.append(Joined(ticket, target, neighbour, round(float(probability[0]), 4)))
    resolved = [replace(j, cluster=groups.find(j.cluster)) for j in joined]
    for row in order.tolist():
        cluster_of_row[row] = groups.find(int(cluster_of_row[row]))
    return resolved
