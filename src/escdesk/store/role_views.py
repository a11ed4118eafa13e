"""The role dashboards' lines (R-MET), each one grouped query."""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from escdesk.domain.role_views import AccountLine, CsmLoad, WorkCount
from escdesk.domain.severity import Severity
from escdesk.store.tables import AccountRow, EscalationRequestRow, EscalationRow, FixRow, PersonRow

HIGH_OR_CRITICAL = tuple(s.value for s in Severity if s.is_high_or_critical)


class RoleViewQueries:
    session: Session

    def accounts_requested_by(self, person_id: int) -> list[AccountLine]:
        """Sales: the accounts of the escalation requests this person filed, largest ARR first."""
        open_count = (
            select(func.count())
            .where(EscalationRow.account_id == AccountRow.id, EscalationRow.status != "closed")
            .scalar_subquery()
        )
        high_open = (
            select(func.count())
            .where(
                EscalationRow.account_id == AccountRow.id,
                EscalationRow.status != "closed",
                EscalationRow.severity.in_(HIGH_OR_CRITICAL),
            )
            .scalar_subquery()
        )
        mine = select(EscalationRequestRow.account_id).where(
            EscalationRequestRow.requester_id == person_id
        )
        stmt = (
            select(
                AccountRow.id,
                AccountRow.name,
                AccountRow.tier,
                AccountRow.arr,
                AccountRow.sentiment,
                open_count,
                high_open,
            )
            .where(AccountRow.id.in_(mine))
            .order_by(AccountRow.arr.desc(), AccountRow.name)
        )
        return [AccountLine(*row) for row in self.session.execute(stmt)]

    def load_per_csm(self) -> list[CsmLoad]:
        """The CSM leader: accounts, open escalations and at-risk ARR per CSM."""
        open_count = (
            select(func.count())
            .where(EscalationRow.account_id == AccountRow.id, EscalationRow.status != "closed")
            .scalar_subquery()
        )
        # At risk as `domain.account_risk` says: an open critical or high escalation, or the
        # sentiment a person set; uncorrelated, so the database hashes it once.
        high_open = AccountRow.id.in_(
            select(EscalationRow.account_id).where(
                EscalationRow.status != "closed", EscalationRow.severity.in_(HIGH_OR_CRITICAL)
            )
        )
        at_risk = case(((AccountRow.sentiment == "at_risk") | high_open, AccountRow.arr), else_=0)
        stmt = (
            select(
                PersonRow.name,
                func.count(AccountRow.id),
                func.coalesce(func.sum(open_count), 0),
                func.coalesce(func.sum(at_risk), 0),
            )
            .join(AccountRow, AccountRow.csm_id == PersonRow.id)
            .group_by(PersonRow.id, PersonRow.name)
            .order_by(func.coalesce(func.sum(at_risk), 0).desc(), PersonRow.name)
        )
        return [
            CsmLoad(str(n), int(a), int(o), int(r)) for n, a, o, r in self.session.execute(stmt)
        ]

    def triage_queue(self) -> int:
        """The manager: escalation requests waiting for the triage meeting."""
        stmt = select(func.count()).where(EscalationRequestRow.status == "pending")
        return int(self.session.scalar(stmt) or 0)

    def work_of(self, person_id: int) -> list[WorkCount]:
        """Support: this person's escalation requests and fixes, counted by status."""
        requests = select(
            literal("request").label("kind"), EscalationRequestRow.status.label("status")
        ).where(EscalationRequestRow.requester_id == person_id)
        fixes = select(literal("fix").label("kind"), FixRow.status.label("status")).where(
            and_(FixRow.author_id == person_id)
        )
        both = union_all(requests, fixes).subquery()
        stmt = (
            select(both.c.kind, both.c.status, func.count())
            .group_by(both.c.kind, both.c.status)
            .order_by(both.c.kind.desc(), both.c.status)
        )
        return [WorkCount(str(k), str(s), int(n)) for k, s, n in self.session.execute(stmt)]
