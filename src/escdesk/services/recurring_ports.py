"""What the ticket and recurring-issue services need from a store (R-REC-*).

Kept beside `ports.py`, which exposes both repositories on the unit of work. Cluster membership
is bulk data (a row per clustered ticket, a million of them at scale), so it crosses this
boundary as NumPy arrays and small records rather than as domain objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # NumPy is needed at run time only where clusters are computed
    import numpy as np
    import numpy.typing as npt

from escdesk.domain.events import Event
from escdesk.domain.recurring_issue import RecurringIssue
from escdesk.domain.ticket import Ticket
from escdesk.services.ticket_views import (
    IndexSignature,
    IssueRef,
    LinkedEscalation,
    StoredTicket,
)


@dataclass(frozen=True)
class ClusterState:
    """Every clustered ticket: its cluster and its issue (-1 for none), as parallel arrays."""

    ticket_ids: npt.NDArray[np.int64]
    cluster_ids: npt.NDArray[np.int64]
    issue_ids: npt.NDArray[np.int64]


@dataclass(frozen=True)
class Member:
    """A ticket joining a cluster: through which earlier ticket, and how alike they are."""

    ticket_id: int
    cluster_id: int
    issue_id: int | None
    neighbour_id: int | None
    similarity: float | None


@dataclass(frozen=True)
class Published:
    """What a staged import wrote: its run's id, and how many tickets were new or updated."""

    import_id: int
    new: int
    updated: int


class TicketStaging(Protocol):
    """One import's tickets on their way in: nothing of them is seen before the commit."""

    def add(self, tickets: Sequence[Ticket]) -> None: ...
    def publish(self, skipped: int) -> Published: ...


class TicketRepository(Protocol):
    def stage(self, source: str, format: str, file_name: str, now: datetime) -> TicketStaging: ...
    def stream(self, after_import: int = 0) -> Iterator[list[StoredTicket]]: ...
    def signature(self, *, with_count: bool = True) -> IndexSignature: ...
    def resolve(self, keys: Iterable[str]) -> dict[str, StoredTicket]: ...
    def by_ids(self, ids: Iterable[int]) -> dict[int, StoredTicket]: ...
    def by_keys(self, keys: Iterable[str]) -> dict[str, StoredTicket]: ...
    def page(
        self, *, limit: int, offset: int, account: str | None = None
    ) -> list[StoredTicket]: ...
    def count(self, account: str | None = None) -> int: ...


class RecurringRepository(Protocol):
    def add(self, issue: RecurringIssue) -> None: ...
    def get(self, issue_id: int, expected_version: int | None = None) -> RecurringIssue: ...
    def issues(self, *, include_merged: bool = False) -> list[RecurringIssue]: ...
    def events(self, issue_id: int) -> list[Event]: ...
    def escalation_exists(self, escalation_id: int) -> bool: ...
    def cluster_state(self) -> ClusterState: ...
    def add_members(self, members: Sequence[Member]) -> None: ...
    def assign_cluster(self, cluster_id: int, issue_id: int) -> None: ...
    def move_issue(self, from_issue: int, to_issue: int) -> int: ...
    def move_tickets(self, ticket_ids: Sequence[int], issue_id: int, cluster_id: int) -> None: ...
    def members_of(self, issue_id: int, ticket_ids: Sequence[int]) -> set[int]: ...
    def forget_candidates(self) -> int: ...
    def ticket_counts(self) -> dict[int, tuple[int, datetime, datetime]]: ...
    def account_counts(self, issue_id: int | None = None) -> list[tuple[int, str, int]]: ...
    def created_since(
        self, since: datetime, issue_id: int | None = None
    ) -> list[tuple[int, datetime]]: ...
    def created_times(self, issue_id: int) -> list[datetime]: ...
    def ticket_ids_of(self, issue_id: int, limit: int) -> list[int]: ...
    def issues_of(self, ticket_ids: Iterable[int]) -> dict[int, IssueRef]: ...
    def escalations(self, ids: Iterable[int]) -> list[LinkedEscalation]: ...
    def recent_tickets_by_account(self, since: datetime) -> list[tuple[str, int]]: ...
