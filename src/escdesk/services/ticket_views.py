"""Read models of tickets and recurring issues: what imports report, searches and lists show.

Plain data built by the services from the store's queries, shared by the CLI, the API and the
pages so each renders the same facts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from escdesk.domain.issue_rank import RankScore
from escdesk.domain.recurring_issue import Prevention, RecurringIssue
from escdesk.domain.ticket import Ticket


@dataclass(frozen=True)
class StoredTicket:
    """A ticket as the store holds it: its row id, and the key the similarity index knows it
    by — its helpdesk id, or `source:id` when another source used that id first."""

    id: int
    key: str
    ticket: Ticket


@dataclass(frozen=True)
class IndexSignature:
    """What the tickets table looked like when the similarity index was built from it."""

    count: int
    max_id: int
    max_import_id: int


@dataclass(frozen=True)
class Skipped:
    """A record `--skip-invalid` left out: where it is, which field, why, and the fix."""

    where: str
    field: str
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"{self.where}: {self.field}: {self.problem}. {self.fix}"


@dataclass(frozen=True)
class ImportNotice:
    """What an import decided without refusing anything (which column became which field, how
    ids were made, what stood in for a missing subject), once per kind, counted."""

    field: str
    message: str
    first_where: str | None
    count: int

    def __str__(self) -> str:
        at = "" if self.first_where is None else f" (first at {self.first_where})"
        times = "" if self.count == 1 else f" — {self.count:,} tickets"
        return f"{self.field}: {self.message}{times}{at}"


@dataclass(frozen=True)
class ImportReport:
    import_id: int
    source: str
    format: str
    read: int
    new: int
    updated: int
    skipped: list[Skipped] = field(default_factory=list)
    notices: list[ImportNotice] = field(default_factory=list)
    index_seconds: float = 0.0
    """How long the similar-tickets index took to take the tickets after the commit."""

    @property
    def written(self) -> int:
        return self.new + self.updated


@dataclass(frozen=True)
class IssueRef:
    """The recurring issue a ticket belongs to, and the escalations that issue is linked to."""

    id: int
    label: str
    escalation_ids: tuple[int, ...]


@dataclass(frozen=True)
class TicketMatch:
    """One similar ticket; without details (scripts asking for ids and scores) only the
    first four are set. `score` orders the matches and is no probability: a person is shown
    the rank and the `strength` ("strong" or "possible"), and why, in `shared_words` — the
    shared terms as both tickets write them (`shared_terms` are the index's stemmed forms)."""

    key: str
    score: float
    shared_terms: tuple[str, ...]
    strength: str = "possible"
    subject: str = ""
    account: str | None = None
    created_at: datetime | None = None
    issue: IssueRef | None = None
    shared_words: tuple[str, ...] = ()
    linked: bool = False  # a person confirmed it as a duplicate of the query


@dataclass(frozen=True)
class LinkedEscalation:
    id: int
    customer: str
    summary: str
    status: str
    severity: str


@dataclass(frozen=True)
class TicketDetail:
    stored: StoredTicket
    issue: IssueRef | None
    escalations: list[LinkedEscalation]


@dataclass(frozen=True)
class SimilarResult:
    """R-REC-2: the tickets most like one query, and the escalations their issues are linked
    to — so a duplicate is linked instead of re-investigated."""

    query: str
    matches: list[TicketMatch]
    escalations: list[LinkedEscalation] = field(default_factory=list)


@dataclass(frozen=True)
class IssueFigures:
    """One recurring issue and the counts the store computed for it."""

    issue: RecurringIssue
    tickets: int
    accounts: int
    arr: int
    first_seen: datetime | None
    last_seen: datetime | None
    weekly: list[int]


@dataclass(frozen=True)
class RankedIssue:
    figures: IssueFigures
    trend: float
    rank: RankScore

    @property
    def issue(self) -> RecurringIssue:
        return self.figures.issue


@dataclass(frozen=True)
class AffectedAccount:
    name: str
    tickets: int
    account_id: int | None
    arr: int | None


@dataclass(frozen=True)
class IssueDetail:
    ranked: RankedIssue
    tickets: list[StoredTicket]
    accounts: list[AffectedAccount]
    escalations: list[LinkedEscalation]
    prevention: Prevention | None


@dataclass(frozen=True)
class ClusterReport:
    """What a clustering pass did."""

    clustered: int
    joined_issues: int
    new_issues: int
    relabelled: int
    seconds: float
