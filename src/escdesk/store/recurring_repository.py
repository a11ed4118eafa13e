"""Recurring issues in the store (R-REC-1, R-REC-3): the aggregate, its clusters and its figures.

Issues are saved when the unit of work commits, like escalations, with their audit events; the
version column turns a concurrent edit into a Conflict. Cluster membership is bulk data written
by clustering passes, so it is read and written here as arrays and executemany statements.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from escdesk.domain import clock
from escdesk.domain.errors import Conflict, InvalidInput, NotFound
from escdesk.domain.events import Event
from escdesk.domain.recurring_issue import IssueStatus, RecurringIssue
from escdesk.services.recurring_ports import ClusterState, Member
from escdesk.services.ticket_views import IssueRef, LinkedEscalation
from escdesk.store.tables import (
    EscalationRow,
    EventRow,
    IssueEscalationRow,
    IssueTicketRow,
    RecurringIssueRow,
    TicketRow,
)
from escdesk.store.ticket_repository import _chunks

SUBJECT = "recurring_issue"


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


def _copy(issue: RecurringIssue, row: RecurringIssueRow) -> None:
    row.label = issue.label[:200]
    row.status = issue.status.value
    row.named = issue.named
    row.fix_reference = issue.fix_reference
    row.release = issue.release
    row.fixed_at = issue.fixed_at
    row.merged_into = issue.merged_into
    row.created_at = issue.created_at


class RecurringRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.seen: list[RecurringIssue] = []
        self._linked: dict[int, set[int]] = {}

    # ------------------------------------------------------------------ the aggregate
    def add(self, issue: RecurringIssue) -> None:
        row = RecurringIssueRow()
        _copy(issue, row)
        self.session.add(row)
        self.session.flush()
        issue.id, issue.version = row.id, row.version
        self._linked[row.id] = set()
        self.seen.append(issue)

    def get(self, issue_id: int, expected_version: int | None = None) -> RecurringIssue:
        row = self.session.get(RecurringIssueRow, issue_id)
        if row is None:
            raise NotFound("recurring issue", issue_id)
        if expected_version is not None and row.version != expected_version:
            raise Conflict("recurring issue", issue_id, row.version)
        linked = self._escalation_ids([issue_id]).get(issue_id, set())
        self._linked[issue_id] = set(linked)
        issue = _issue(row, set(linked))
        self.seen.append(issue)
        return issue

    def issues(self, *, include_merged: bool = False) -> list[RecurringIssue]:
        query = select(RecurringIssueRow).order_by(RecurringIssueRow.id)
        if not include_merged:
            query = query.where(RecurringIssueRow.status != IssueStatus.MERGED.value)
        rows = list(self.session.scalars(query))
        links = self._escalation_ids([r.id for r in rows])
        return [_issue(r, links.get(r.id, set())) for r in rows]

    def save_seen(self) -> None:
        for issue in self.seen:
            if issue.id is None:
                continue
            row = self.session.get(RecurringIssueRow, issue.id)
            assert row is not None
            _copy(issue, row)
            try:
                self.session.flush()
            except StaleDataError:
                self.session.rollback()
                current = self.session.scalar(
                    select(RecurringIssueRow.version).where(RecurringIssueRow.id == issue.id)
                )
                raise Conflict("recurring issue", issue.id, current) from None
            issue.version = row.version
            for escalation_id in issue.escalation_ids - self._linked.get(issue.id, set()):
                self.session.add(IssueEscalationRow(issue_id=issue.id, escalation_id=escalation_id))
            self._linked[issue.id] = set(issue.escalation_ids)
            for event in issue.pending_events:
                self.session.add(
                    EventRow(
                        subject=SUBJECT,
                        subject_id=issue.id,
                        type=event.type,
                        occurred_at=event.at,
                        actor_id=event.actor_id,
                        data=event.data,
                    )
                )
            issue.pending_events.clear()

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
        return {r[0]: (r[1], _utc(r[2]), _utc(r[3])) for r in rows}

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
        return [(r[0], r[1], r[2]) for r in self.session.execute(query)]

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
        return [(r[0], r[1]) for r in self.session.execute(query)]

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
                (r[0], r[1])
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
        return [(r[0], r[1]) for r in rows]

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


def _utc(moment: datetime) -> datetime:
    """min/max keep the column's type, so these are aware UTC moments; naive ones are taken
    as UTC, as the column type would."""
    return clock.utc(moment)
