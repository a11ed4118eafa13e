"""Recurring issues found among tickets (R-REC-1): groups of tickets with one cause.

One pass in time order, as a support engineer would read the queue: each ticket joins the
cluster of its most similar *earlier* ticket when the two are alike enough, and otherwise
starts a cluster of its own. New tickets join existing clusters the same way, so an import
never reshuffles what is already grouped (and confirmed by a person).

Given the re-ranker (setting `recurring_grouping = "reranked"`), `Grouping` links tickets by the
re-ranked similarity of `tickets similar` where the cosine cannot decide (`linking`: B-cubed
recall 0.62 → 0.81 on the GitBugs duplicate groups at precision 0.98, but precision 0.91 → 0.73
on OpenOffice's, and a few times the time); the cosine pass below is the default.

Alike means the cosine of the two tickets' tf-idf vectors, read from the similarity index's
term counts (no second tokenizer): sublinear term frequency, subject terms (words and word
pairs) counted `SUBJECT_WEIGHT` times, idf over all tickets. Terms in more than
`COMMON_SHARE` of the tickets are left out — "error", "please help", a helpdesk's signature —
they say nothing about the cause and would make every ticket a neighbour of every other.

`THRESHOLD` was calibrated on generated helpdesks with known causes (bench/generate_tickets.py,
where a cause is a component) and on the hand-labelled set of tests/recurring/test_clusters.py:
it is the lowest value at which issues stay pure. Measured on the generated sets (purity: share
of an issue's cause tickets from its main cause; completeness: share of a cause's tickets in
its largest issue):

    threshold   10k tickets              100k tickets
    0.3         purity 0.964, compl. 0.93 (two causes chained into one issue)
    0.4         purity 0.997, compl. 0.81  purity 0.998, compl. 0.84
    0.5         purity 0.998, compl. 0.73

The earlier neighbour is looked for among the `WINDOW` tickets before a ticket (by creation
time), which keeps a pass near-linear: 100k tickets cluster in under 10 s, and a window of
2 000 or 20 000 gave the same issues there. A cause that goes quiet for longer than the window
starts a new cluster when it returns; people merge the two (`escdesk recurring merge`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.similarity.corpus import Corpus
from escdesk.similarity.linking import (
    UNCLUSTERED,
    WINDOW,
    Joined,
    blocks,
    in_time_order,
    link_in_time_order,
)
from escdesk.similarity.reranker import Reranker

THRESHOLD = 0.4
SUBJECT_WEIGHT = 2.0
COMMON_SHARE = 0.05
COMMON_FLOOR = 50  # a term is never "common" in fewer tickets than this (small helpdesks)


def ticket_vectors(corpus: Corpus, rows: npt.NDArray[np.int64]) -> sp.csr_matrix:
    """Unit-length tf-idf rows of these corpus rows, common terms left out."""
    subject, body, _ = corpus.rows_matrix(rows)
    width = len(corpus.vocabulary)
    counts = _widen(subject, width).astype(np.float32) * SUBJECT_WEIGHT
    counts = sp.csr_matrix(counts + _widen(body, width).astype(np.float32))
    counts.data = 1 + np.log(counts.data)
    live = max(int(corpus.alive.sum()), 1)
    df = corpus.vocabulary.df[:width].astype(np.float64)
    idf = np.log((live + 1) / (df + 1)).astype(np.float32)
    idf[df > max(COMMON_SHARE * live, COMMON_FLOOR)] = 0
    counts.data *= idf[counts.indices]
    counts.eliminate_zeros()
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1
    return sp.csr_matrix(sp.diags(1 / norms) @ counts, dtype=np.float32)


def join_in_time_order(
    corpus: Corpus,
    ticket_of_row: npt.NDArray[np.int64],
    cluster_of_row: npt.NDArray[np.int64],
    todo: npt.NDArray[np.int64],
    *,
    threshold: float = THRESHOLD,
    window: int = WINDOW,
) -> list[Joined]:
    """Cluster the corpus rows in `todo`; `cluster_of_row` (-1 = not clustered) holds every
    other ticket's cluster and is updated as tickets join. Returns one Joined per row."""
    order, position, todo = in_time_order(corpus, ticket_of_row, todo)
    vectors = ticket_vectors(corpus, order)  # row i of `vectors` is order[i]
    joined: list[Joined] = []
    for block in blocks(position[todo], window):
        first = max(int(block[0]) - window, 0)
        last = int(block[-1])
        scores = sp.csr_matrix(vectors[block] @ vectors[first:last].T)
        best, similarity = _best_earlier(scores, block - first, window, threshold)
        for query, neighbour, alike in zip(block, best, similarity, strict=True):
            row = int(order[query])
            ticket = int(ticket_of_row[row])
            if neighbour < 0:
                cluster_of_row[row] = ticket
                joined.append(Joined(ticket, ticket, None, None))
                continue
            earlier = int(order[first + neighbour])
            cluster_of_row[row] = cluster_of_row[earlier]
            joined.append(
                Joined(
                    ticket,
                    int(cluster_of_row[earlier]),
                    int(ticket_of_row[earlier]),
                    round(float(alike), 4),
                )
            )
    return joined


class Grouping:
    """One clustering pass over the tickets not clustered yet, in ticket ids: where each went,
    and which tickets every cluster holds (for its label)."""

    def __init__(
        self,
        corpus: Corpus,
        ticket_of_row: npt.NDArray[np.int64],
        ticket_ids: npt.NDArray[np.int64],
        cluster_ids: npt.NDArray[np.int64],
        *,
        model: Reranker | None = None,
        threshold: float = THRESHOLD,
        window: int = WINDOW,
    ) -> None:
        """`ticket_of_row` names the ticket of each corpus row (-1: none); `ticket_ids` and
        `cluster_ids` are the clusters already stored (parallel arrays). With a re-ranker
        `model`, strong matches link tickets (`linking`); without, the cosine pass here."""
        self._ticket_of_row = ticket_of_row
        self._row_of_ticket = _inverse(ticket_of_row)
        known = _lookup(self._row_of_ticket, ticket_ids)
        clusters = np.full(ticket_of_row.size, UNCLUSTERED, dtype=np.int64)
        present = known >= 0
        clusters[known[present]] = cluster_ids[present]
        alive = np.zeros(ticket_of_row.size, dtype=bool)
        alive[: corpus.alive.size] = corpus.alive[: ticket_of_row.size]
        todo = np.flatnonzero((clusters == UNCLUSTERED) & (ticket_of_row >= 0) & alive)
        if model is not None:
            vectors = ticket_vectors(corpus, np.arange(ticket_of_row.size, dtype=np.int64))
            self.joined = link_in_time_order(corpus, model, vectors, ticket_of_row, clusters, todo)
        else:
            self.joined = join_in_time_order(
                corpus, ticket_of_row, clusters, todo, threshold=threshold, window=window
            )
        self._cluster_of_row = clusters

    def tickets_in(self, clusters: Iterable[int]) -> list[int]:
        """The ticket ids of all these clusters together, in the order the index holds them."""
        wanted = np.array(sorted(set(clusters)), dtype=np.int64)
        rows = np.flatnonzero(np.isin(self._cluster_of_row, wanted))
        return [int(t) for t in self._ticket_of_row[rows]]

    def members(self, clusters: Iterable[int]) -> dict[int, list[int]]:
        """The ticket ids of each of these clusters, in the order the index holds them."""
        wanted = np.array(sorted(set(clusters)), dtype=np.int64)
        if not wanted.size:
            return {}
        rows = np.flatnonzero(np.isin(self._cluster_of_row, wanted))
        rows = rows[np.argsort(self._cluster_of_row[rows], kind="stable")]
        keys = self._cluster_of_row[rows]
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], rows.size]
        tickets = self._ticket_of_row[rows]
        return {int(keys[s]): tickets[s:e].tolist() for s, e in zip(starts, ends, strict=True)}


def rows_of_tickets(
    ticket_of_row: npt.NDArray[np.int64], ticket_ids: Iterable[int]
) -> npt.NDArray[np.int64]:
    """The corpus rows of these tickets (those the index holds), in the order given."""
    rows = _lookup(_inverse(ticket_of_row), np.fromiter(ticket_ids, dtype=np.int64))
    return rows[rows >= 0]


def _inverse(ticket_of_row: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Corpus row of each ticket id (-1 where the index has none)."""
    size = int(ticket_of_row.max()) + 1 if ticket_of_row.size else 0
    inverse = np.full(max(size, 1), -1, dtype=np.int64)
    rows = np.flatnonzero(ticket_of_row >= 0)
    inverse[ticket_of_row[rows]] = rows
    return inverse


def _lookup(
    inverse: npt.NDArray[np.int64], ticket_ids: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    inside = (ticket_ids < inverse.size) & (ticket_ids >= 0)
    out = np.full(ticket_ids.size, -1, dtype=np.int64)
    out[inside] = inverse[ticket_ids[inside]]
    return out


def _best_earlier(
    scores: sp.csr_matrix, local: npt.NDArray[np.int64], window: int, threshold: float
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Per query row: the column of its best candidate that comes before it (within the
    window) and reaches the threshold, else -1."""
    rows = np.repeat(np.arange(scores.shape[0]), np.diff(scores.indptr))
    columns, values = scores.indices.astype(np.int64), scores.data
    keep = (columns < local[rows]) & (columns >= local[rows] - window) & (values >= threshold)
    rows, columns, values = rows[keep], columns[keep], values[keep]
    best = np.full(scores.shape[0], -1, dtype=np.int64)
    similarity = np.zeros(scores.shape[0], dtype=np.float32)
    if rows.size:
        # Highest score per row; among equals the latest earlier ticket (the freshest sighting).
        order = np.lexsort((columns, values, rows))
        last = np.flatnonzero(np.r_[rows[order][1:] != rows[order][:-1], True])
        picked = order[last]
        best[rows[picked]] = columns[picked]
        similarity[rows[picked]] = values[picked]
    return best, similarity


def _widen(matrix: sp.csr_matrix, columns: int) -> sp.csr_matrix:
    if matrix.shape[1] == columns:
        return matrix
    return sp.csr_matrix(
        (matrix.data, matrix.indices, matrix.indptr), shape=(matrix.shape[0], columns)
    )
