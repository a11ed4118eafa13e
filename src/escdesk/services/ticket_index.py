"""What the ticket and recurring-issue services need from the similarity engine (R-REC-1, 2).

The database is the source of truth; the engine's index is a cache of the tickets table, kept
on disk and in step with it by the engine (`escdesk.similarity.cache`). The services see it only
through these protocols, so they need neither NumPy nor the engine's layout, and a test can
hand them any index that keeps these promises.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol

from escdesk.domain.ticket import Ticket
from escdesk.services.recurring_ports import ClusterState, TicketRepository
from escdesk.services.ticket_views import IndexSignature, StoredTicket


class SimilarMatch(Protocol):
    """One similar ticket: its key, the engine's score (higher is closer) and the terms both
    tickets share (as the index holds them)."""

    @property
    def id(self) -> str: ...
    @property
    def score(self) -> float: ...
    @property
    def shared_terms(self) -> tuple[str, ...]: ...
    @property
    def strength(self) -> str:
        """ "strong" or "possible": what a person reads instead of the score."""
        ...


class JoinedTicket(Protocol):
    """Where clustering put one ticket: `cluster` is the id of its cluster's first ticket, and
    `neighbour` the earlier ticket it matched (None when it started a cluster)."""

    @property
    def ticket_id(self) -> int: ...
    @property
    def cluster(self) -> int: ...
    @property
    def neighbour(self) -> int | None: ...
    @property
    def similarity(self) -> float | None: ...


class Grouping(Protocol):
    """One clustering pass over the tickets not clustered yet."""

    @property
    def joined(self) -> Sequence[JoinedTicket]: ...
    def tickets_in(self, clusters: Collection[int]) -> list[int]:
        """Ticket ids of all these clusters together, in index order."""
        ...

    def members(self, clusters: Collection[int]) -> dict[int, list[int]]:
        """Ticket ids of each of these clusters (old and new members), in index order."""
        ...


class Retrained(Protocol):
    """A re-ranker refit on the team's links: the model as JSON data, and its figures (the new
    model and the one in use, scored on the held-back links)."""

    @property
    def model(self) -> dict[str, Any]: ...
    @property
    def figures(self) -> dict[str, Any]: ...


class LiveIndex(Protocol):
    """The index while the caller holds it: current with the tickets table."""

    def __len__(self) -> int: ...
    def similar(
        self, query: Ticket | str, k: int = 10, earlier_only: bool = False
    ) -> Sequence[SimilarMatch]: ...
    def group(self, clustered: ClusterState) -> Grouping:
        """Cluster every indexed ticket `clustered` does not hold yet (R-REC-1)."""
        ...

    def label(self, ticket_ids: Sequence[int], sample: Sequence[Ticket]) -> str | None:
        """Words a person would write for what these tickets share; `sample` (some of them)
        gives the spelling."""
        ...

    def explain(self, terms: Sequence[str], query: Ticket, match: Ticket) -> tuple[str, ...]:
        """The shared terms of a match as the two tickets write them ("upgrade / upgrading")."""
        ...

    def use_ranker(self, model: Mapping[str, Any] | None) -> None:
        """Order similar tickets with this re-ranker (a stored version's data; None: shipped)."""
        ...

    def retrain(
        self, pairs: Sequence[tuple[str, str, bool]], current: Mapping[str, Any] | None
    ) -> Retrained:
        """Refit the re-ranker on the public pairs plus these `(ticket, other, duplicate)`
        verdicts; score it and `current` (None: shipped) on the held-back ones."""
        ...


class PreparedTickets(Protocol):
    """An import's tickets read for the index while they are imported (`TicketIndex.prepare`):
    the index itself is neither held nor changed until `TicketIndex.adopt`."""

    def add(self, tickets: Sequence[Ticket]) -> None: ...

    def close(self) -> None:
        """Let go of what reading holds (a process of its own, for a big import); idempotent."""
        ...


class TicketIndex(Protocol):
    """The similar-tickets index of one database."""

    def prepare(self) -> PreparedTickets:
        """Somewhere to read an import's tickets into, as the index stands now."""
        ...

    def adopt(self, prepared: PreparedTickets, tickets: TicketRepository, import_id: int) -> int:
        """After the import committed: take the tickets read into `prepared`, or, when the
        table changed otherwise since `prepare`, catch up with it as `using` does. Returns
        how many tickets the index holds."""
        ...

    def using(self, tickets: TicketRepository) -> AbstractContextManager[LiveIndex]:
        """The index, caught up with the table, held exclusively while the caller uses it."""
        ...

    def add(self, stored: list[StoredTicket]) -> None:
        """Index tickets being imported (inside `using`); searchable at once."""
        ...

    def committed(self, signature: IndexSignature) -> None:
        """The database committed what was added: remember its signature and save."""
        ...

    def discard(self) -> None:
        """The database rolled back: forget what was added since the last save."""
        ...

    def rebuild(self, tickets: TicketRepository) -> int:
        """Build the index again from the table; returns how many tickets it holds."""
        ...
