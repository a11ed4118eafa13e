"""Recurring issues in the store (R-REC-1, R-REC-3): the aggregate, its clusters and its figures.

Issues are saved when the unit of work commits, like escalations, with their audit events and
escalation links; a changed issue first claims the version it was loaded at (`store.versions`),
so a concurrent edit is a Conflict and writes nothing. Cluster membership is bulk data written
by clustering passes, so it is read and written here as arrays and executemany statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from escdesk.domain import clock
from escdesk.domain.errors import Conflict, InvalidInput, NotFound
from escdesk.domain.events import Event
from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.services.recurring_ports import ClusterState, Member
from escdesk.services.ticket_views import IssueRef, LinkedEscalation
from escdesk.store.mapping import event_row
from escdesk.store.tables import (
    EscalationRow,
    EventRow,
    IssueEscalationRow,
    IssueTicketRow,
    RecurringIssueRow,
    TicketRow,
)
from escdesk.store.ticket_repository import _chunks
from escdesk.store.versions import Tracked, claim_version

SUBJECT = "recurring_issue"
KIND = "recurring issue"

T = TypeVar("T")


def _issue(row: RecurringIssueRow, escalations: set[int]) -> RecurringIssue:
    return RecurringIssue(
        label=row.label,
        created_at=row.created_at,
        status=IssueStatus(row.status),
        named=row.named,
        escalation_ids=escalations,
        fix_reference=row.fix_reference,
        release=row.release,
        fixed_at=row.fixed_at,
        merged_into=row.merged_into,
        id=row.id,
        version=row.version,
    )


def _columns(issue: RecurringIssue) -> dict[str, Any]:
    return {
        "label": issue.label[:200],
        "status": issue.status.value,
        "named": issue.named,
        "fix_reference": issue.fix_reference,
        "release": issue.release,
        "fixed_at": issue.fixed_at,
        "merged_into": issue.merged_into,
        "created_at": issue.created_at,
    }


class RecurringRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[int, Tracked[RecurringIssue]] = {}

    # ------------------------------------------------------------------ the aggregate
    def add(self, issue: RecurringIssue) -> None:
        columns = _columns(issue)
        row = RecurringIssueRow(**columns)
        self.session.add(row)
        self.session.flush()
        issue.id, issue.version = row.id, row.version
        self._tracked[row.id] = Tracked(issue, row.version, columns, frozenset(), fresh=True)

    def get(self, issue_id: int, expected_version: int | None = None) -> RecurringIssue:
        """The issue as this unit of work first loaded it (one object per issue)."""
        tracked = self._tracked.get(issue_id)
        if tracked is None:
            row = self.session.get(RecurringIssueRow, issue_id)
            if row is None:
                raise NotFound(KIND, issue_id)
            linked = self._escalation_ids([issue_id]).get(issue_id, set())
            issue = _issue(row, set(linked))
            tracked = Tracked(issue, issue.version, _columns(issue), frozenset(linked))
            self._tracked[issue_id] = tracked
        issue = tracked.aggregate
        if expected_version is not None and issue.version != expected_version:
            raise Conflict(KIND, issue_id, issue.version)
        return issue

    def issues(self, *, include_merged: bool = False) -> list[RecurringIssue]:
        """For reading only: changes to these issues are not saved."""
        query = select(RecurringIssueRow).order_by(RecurringIssueRow.id)
        if not include_merged:
            query = query.where(RecurringIssueRow.status != IssueStatus.MERGED.value)
        rows = list(self.session.scalars(query))
        links = self._escalation_ids([r.id for r in rows])
        return [_issue(r, links.get(r.id, set())) for r in rows]

    def save_seen(self) -> None:
        # Claims in id order, so two merges of the same pair never wait for each other.
        for key in sorted(self._tracked):
            tracked = self._tracked[key]
            issue = tracked.aggregate
            columns, links = _columns(issue), frozenset(issue.escalation_ids)
            changed = columns != tracked.columns
            news = bool(issue.pending_events) or links != tracked.children
            if changed or (news and not tracked.fresh):
                issue.version = tracked.version = claim_version(
                    self.session, RecurringIssueRow, KIND, key, tracked.version, columns
                )
            self.session.add_all(
                IssueEscalationRow(issue_id=key, escalation_id=escalation_id)
                for escalation_id in sorted(links - tracked.children)
            )
            self.session.add_all(event_row(SUBJECT, key, e) for e in issue.pending_events)
            issue.pending_events.clear()
            tracked.columns, tracked.children, tracked.fresh = columns, links, False

    def events(self, issue_id: int) -> list[Event]:
        rows = self.session.scalars(
            select(EventRow)
            .where(EventRow.subject == SUBJECT, EventRow.subject_id == issue_id)
            .order_by(EventRow.id)
        )
        return [Event(r.type, r.occurred_at, r.actor_id, r.data) for r in rows]

    def escalation_exists(self, escalation_id: int) -> bool:
        found = self.session.get(EscalationRow, escalation_id)
        if found is None:
            raise InvalidInput(
                "escalation",
                f"ESC-{escalation_id} does not exist",
                "See `escdesk escalations list`",
            )
        return True

    # ------------------------------------------------------------------ clusters
    def cluster_state(self) -> ClusterState:
        rows = self.session.execute(
            select(IssueTicketRow.ticket_id, IssueTicketRow.cluster_id, IssueTicketRow.issue_id)
        ).all()
        n = len(rows)
        import numpy as np  # here, not at the top: the CLI loads the store for every command

        tickets = np.fromiter((r[0] for r in rows), dtype=np.int64, count=n)
        clusters = np.fromiter((r[1] for r in rows), dtype=np.int64, count=n)
        issues = np.fromiter((-1 if r[2] is None else r[2] for r in rows), np.int64, count=n)
        return ClusterState(tickets, clusters, issues)

    def add_members(self, members: Sequence[Member]) -> None:
        if members:
            self.session.execute(
                insert(IssueTicketRow),
                [
                    {
                        "ticket_id": m.ticket_id,
                        "cluster_id": m.cluster_id,
                        "issue_id": m.issue_id,
                        "neighbour_id": m.neighbour_id,
                        "similarity": m.similarity,
                    }
                    for m in members
                ],
            )

    def assign_cluster(self, cluster_id: int, issue_id: int) -> None:
        self.session.execute(
            update(IssueTicketRow)
            .where(IssueTicketRow.cluster_id == cluster_id)
            .values(issue_id=issue_id)
        )

    def move_issue(self, from_issue: int, to_issue: int) -> int:
        """Merging: every ticket of one issue now belongs to the other."""
        result = self.session.execute(
            update(IssueTicketRow)
            .where(IssueTicketRow.issue_id == from_issue)
            .values(issue_id=to_issue)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def move_tickets(self, ticket_ids: Sequence[int], issue_id: int, cluster_id: int) -> None:
        """Splitting: the tickets form a cluster of their own, owned by `issue_id`."""
        for chunk in _chunks(list(ticket_ids)):
            self.session.execute(
                update(IssueTicketRow)
                .where(IssueTicketRow.ticket_id.in_(chunk))
                .values(issue_id=issue_id, cluster_id=cluster_id, neighbour_id=None)
            )

    def place_ticket(self, ticket_id: int, issue_id: int) -> bool:
        """A person put one ticket into an issue: it joins the issue's own cluster of hand-placed
        tickets (`-issue_id`), clustered or not before; False if it was there already."""
        row = self.session.scalar(
            select(IssueTicketRow).where(IssueTicketRow.ticket_id == ticket_id)
        )
        if row is not None and row.issue_id == issue_id:
            return False
        if row is None:
            row = IssueTicketRow(ticket_id=ticket_id)
            self.session.add(row)
        row.issue_id, row.cluster_id, row.neighbour_id, row.similarity = (
            issue_id,
            -issue_id,
            None,
            None,
        )
        self.session.flush()
        return True

    def members_of(self, issue_id: int, ticket_ids: Sequence[int]) -> set[int]:
        found: set[int] = set()
        for chunk in _chunks(list(ticket_ids)):
            found.update(
                self.session.scalars(
                    select(IssueTicketRow.ticket_id).where(
                        IssueTicketRow.issue_id == issue_id, IssueTicketRow.ticket_id.in_(chunk)
                    )
                )
            )
        return found

    def forget_candidates(self) -> int:
        """Before clustering again from scratch: drop what no person has touched — candidate
        issues that are unnamed and unlinked, and every ticket not held by a kept issue."""
        linked = select(IssueEscalationRow.issue_id)
        doomed = select(RecurringIssueRow.id).where(
            RecurringIssueRow.status == IssueStatus.CANDIDATE.value,
            RecurringIssueRow.named.is_(False),
            RecurringIssueRow.id.not_in(linked),
        )
        acted = set(
            self.session.scalars(select(EventRow.subject_id).where(EventRow.subject == SUBJECT))
        )
        doomed_ids = [i for i in self.session.scalars(doomed) if i not in acted]
        self.session.execute(delete(IssueTicketRow).where(IssueTicketRow.issue_id.is_(None)))
        for chunk in _chunks(doomed_ids):
            self.session.execute(delete(IssueTicketRow).where(IssueTicketRow.issue_id.in_(chunk)))
            self.session.execute(delete(RecurringIssueRow).where(RecurringIssueRow.id.in_(chunk)))
        return len(doomed_ids)

    # ------------------------------------------------------------------ figures
    def ticket_counts(self) -> dict[int, tuple[int, datetime, datetime]]:
        """Per issue: tickets, first seen, last seen."""
        rows = self.session.execute(
            select(
                IssueTicketRow.issue_id,
                func.count(TicketRow.id),
                func.min(TicketRow.created_at),
                func.max(TicketRow.created_at),
            )
            .join(TicketRow, TicketRow.id == IssueTicketRow.ticket_id)
            .where(IssueTicketRow.issue_id.is_not(None))
            .group_by(IssueTicketRow.issue_id)
        ).all()
        return {_filtered(r[0]): (r[1], _utc(r[2]), _utc(r[3])) for r in rows}

    def account_counts(self, issue_id: int | None = None) -> list[tuple[int, str, int]]:
        """(issue, account as written on the tickets, tickets): who each issue hits."""
        query = (
            select(IssueTicketRow.issue_id, TicketRow.account, func.count(TicketRow.id))
            .join(TicketRow, TicketRow.id == IssueTicketRow.ticket_id)
            .where(IssueTicketRow.issue_id.is_not(None), TicketRow.account.is_not(None))
            .group_by(IssueTicketRow.issue_id, TicketRow.account)
        )
        if issue_id is not None:
            query = query.where(IssueTicketRow.issue_id == issue_id)
        return [(_filtered(r[0]), _filtered(r[1]), r[2]) for r in self.session.execute(query)]

    def created_since(
        self, since: datetime, issue_id: int | None = None
    ) -> list[tuple[int, datetime]]:
        query = (
            select(IssueTicketRow.issue_id, TicketRow.created_at)
            .join(TicketRow, TicketRow.id == IssueTicketRow.ticket_id)
            .where(IssueTicketRow.issue_id.is_not(None), TicketRow.created_at >= since)
        )
        if issue_id is not None:
            query = query.where(IssueTicketRow.issue_id == issue_id)
        return [(_filtered(r[0]), r[1]) for r in self.session.execute(query)]

    def created_times(self, issue_id: int) -> list[datetime]:
        return list(
            self.session.scalars(
                select(TicketRow.created_at)
                .join(IssueTicketRow, TicketRow.id == IssueTicketRow.ticket_id)
                .where(IssueTicketRow.issue_id == issue_id)
                .order_by(TicketRow.created_at)
            )
        )

    def ticket_ids_of(self, issue_id: int, limit: int) -> list[int]:
        """The newest tickets of an issue."""
        return list(
            self.session.scalars(
                select(TicketRow.id)
                .join(IssueTicketRow, TicketRow.id == IssueTicketRow.ticket_id)
                .where(IssueTicketRow.issue_id == issue_id)
                .order_by(TicketRow.created_at.desc(), TicketRow.id.desc())
                .limit(limit)
            )
        )

    def issues_of(self, ticket_ids: Iterable[int]) -> dict[int, IssueRef]:
        """The issue of each clustered ticket, with the escalations it is linked to."""
        pairs: list[tuple[int, int]] = []
        for chunk in _chunks(sorted(set(ticket_ids))):
            pairs += [
                (r[0], _filtered(r[1]))
                for r in self.session.execute(
                    select(IssueTicketRow.ticket_id, IssueTicketRow.issue_id).where(
                        IssueTicketRow.ticket_id.in_(chunk), IssueTicketRow.issue_id.is_not(None)
                    )
                )
            ]
        issue_ids = {issue for _, issue in pairs}
        labels = dict(
            self.session.execute(
                select(RecurringIssueRow.id, RecurringIssueRow.label).where(
                    RecurringIssueRow.id.in_(issue_ids)
                )
            ).all()
        )
        links = self._escalation_ids(list(issue_ids))
        return {
            ticket: IssueRef(issue, labels[issue], tuple(sorted(links.get(issue, set()))))
            for ticket, issue in pairs
        }

    def escalations(self, ids: Iterable[int]) -> list[LinkedEscalation]:
        rows = self.session.execute(
            select(
                EscalationRow.id,
                EscalationRow.customer,
                EscalationRow.summary,
                EscalationRow.status,
                EscalationRow.severity,
            )
            .where(EscalationRow.id.in_(sorted(set(ids))))
            .order_by(EscalationRow.id)
        )
        return [LinkedEscalation(*r) for r in rows]

    def recent_tickets_by_account(self, since: datetime) -> list[tuple[str, int]]:
        """Accounts as the tickets name them, with how many tickets they filed since `since`."""
        rows = self.session.execute(
            select(TicketRow.account, func.count(TicketRow.id))
            .where(TicketRow.created_at >= since, TicketRow.account.is_not(None))
            .group_by(TicketRow.account)
        )
        return [(_filtered(r[0]), r[1]) for r in rows]

    def _escalation_ids(self, issue_ids: Sequence[int]) -> dict[int, set[int]]:
        out: dict[int, set[int]] = {}
        for chunk in _chunks(list(issue_ids)):
            for issue, escalation in self.session.execute(
                select(IssueEscalationRow.issue_id, IssueEscalationRow.escalation_id).where(
                    IssueEscalationRow.issue_id.in_(chunk)
                )
            ):
                out.setdefault(issue, set()).add(escalation)
        return out


def _filtered(value: T | None) -> T:
    """A column the query's `IS NOT NULL` already excluded NULLs from."""
    assert value is not None
    return value


def _utc(moment: datetime) -> datetime:
    """min/max keep the column's type, so these are aware UTC moments; naive ones are taken
    as UTC, as the column type would."""
    return clock.utc(moment)
