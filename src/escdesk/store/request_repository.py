"""Escalation requests in the store: the aggregate with its tickets and decisions, its audit
events and the requester's notices, and the bulk reads the triage agenda is built from.

As with escalations, a request a unit of work loaded or added is saved at commit; a changed one
first claims the version it was loaded at (`store.versions`), so a decision recorded on a stale
request writes nothing. Lists read each kind of row in one query — requests, then their tickets,
then their decisions — never one query per request.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from escdesk.domain.accounts import AccountStatus
from escdesk.domain.errors import Conflict, NotFound
from escdesk.domain.records import EscalationKind
from escdesk.domain.request import (
    BusinessContext,
    Decision,
    Difficulty,
    EscalationRequest,
    LinkedTicket,
    ProblemType,
    RequestStatus,
)
from escdesk.domain.severity import Severity
from escdesk.services.listing import Order
from escdesk.services.request_ports import MeetingRecord
from escdesk.store import mapping
from escdesk.store.ordering import ordered
from escdesk.store.outbox_repository import outbox_row
from escdesk.store.tables import (
    AccountRow,
    EducationItemRow,
    EscalationRequestRow,
    ExitCriterionRow,
    RequestDecisionRow,
    RequestTicketRow,
    TriageMeetingRow,
)
from escdesk.store.versions import Tracked, claim_version

SUBJECT = "request"


def _columns(r: EscalationRequest) -> dict[str, Any]:
    b = r.business
    return {
        "account_id": r.account_id,
        "kind": r.kind.value,
        "problem": r.problem,
        "problem_type": r.problem_type.value,
        "proposed_severity": r.proposed_severity.value,
        "workarounds": r.workarounds,
        "difficulty": r.difficulty.value,
        "dependencies": r.dependencies,
        "business_status": b.status.value,
        "arr": b.arr,
        "deal_size": b.deal_size,
        "expected_close": b.expected_close.isoformat() if b.expected_close else None,
        "other_customers": r.other_customers,
        "happiness_confirmed": r.happiness_confirmed,
        "similar_accounts": r.similar_accounts,
        "skills": list(r.skills),
        "requester_id": r.requester_id,
        "filed_at": r.filed_at,
        "status": r.status.value,
        "withdrawn_reason": r.withdrawn_reason,
        "first_decided_at": r.decisions[0].at if r.decisions else None,
    }


def _request(row: Any, tickets: list[Any], decisions: list[Any]) -> EscalationRequest:
    """From the rows of the three tables (plain rows: their columns by name)."""
    return EscalationRequest(
        account_id=row.account_id,
        kind=EscalationKind(row.kind),
        problem=row.problem,
        problem_type=ProblemType(row.problem_type),
        proposed_severity=Severity(row.proposed_severity),
        workarounds=row.workarounds,
        difficulty=Difficulty(row.difficulty),
        dependencies=row.dependencies,
        business=BusinessContext(
            AccountStatus(row.business_status),
            row.arr,
            row.deal_size,
            date.fromisoformat(row.expected_close) if row.expected_close else None,
        ),
        other_customers=row.other_customers,
        happiness_confirmed=row.happiness_confirmed,
        requester_id=row.requester_id,
        filed_at=row.filed_at,
        tickets=[LinkedTicket(t.ticket_id, t.external_id, t.url) for t in tickets],
        skills=list(row.skills or []),
        similar_accounts=row.similar_accounts,
        status=RequestStatus(row.status),
        decisions=[
            Decision(
                RequestStatus(d.outcome),
                d.rationale,
                d.by_id,
                d.decided_at,
                d.release,
                d.escalation_id,
                d.education_id,
                d.meeting_id,
                d.id,
            )
            for d in decisions
        ],
        withdrawn_reason=row.withdrawn_reason,
        id=row.id,
        version=row.version,
    )


class RequestRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._tracked: dict[int, Tracked[EscalationRequest]] = {}
        self._new: list[EscalationRequest] = []

    # ------------------------------------------------------------------ the aggregate
    def add(self, request: EscalationRequest) -> None:
        self._new.append(request)

    def get(self, request_id: int, expected_version: int | None = None) -> EscalationRequest:
        tracked = self._tracked.get(request_id)
        if tracked is None:
            found = self._load([request_id])
            if not found:
                raise NotFound("request", f"REQ-{request_id}")
            tracked = self._track(found[0])
        request = tracked.aggregate
        if expected_version is not None and request.version != expected_version:
            raise Conflict("request", f"REQ-{request_id}", request.version)
        return request

    def listing(
        self,
        *,
        statuses: Collection[RequestStatus] = (),
        account_id: int | None = None,
        limit: int = 100,
        offset: int = 0,
        order: Order | None = None,
    ) -> list[EscalationRequest]:
        """A page of requests, newest first unless `order` says: three queries whatever the
        number."""
        query = _listed(select(EscalationRequestRow.id), statuses, account_id)
        if order is not None and order.key == "customer":
            query = query.join(AccountRow, AccountRow.id == EscalationRequestRow.account_id)
        query = query.order_by(*_request_order(order)).limit(limit).offset(offset)
        return self._load(list(self.session.scalars(query)))

    def count(
        self, *, statuses: Collection[RequestStatus] = (), account_id: int | None = None
    ) -> int:
        query = _listed(select(func.count(EscalationRequestRow.id)), statuses, account_id)
        return self.session.scalar(query) or 0

    def listing_of(self, ids: Collection[int]) -> list[EscalationRequest]:
        """These requests, in the order given."""
        return self._load(list(ids))

    def _load(self, ids: list[int]) -> list[EscalationRequest]:
        """Plain rows, not ORM instances: an agenda loads a thousand requests at a time."""
        if not ids:
            return []
        requests, tickets, decisions = (
            EscalationRequestRow.__table__,
            RequestTicketRow.__table__,
            RequestDecisionRow.__table__,
        )
        rows = self.session.execute(select(requests).where(requests.c.id.in_(ids))).all()
        linked: dict[int, list[Any]] = defaultdict(list)
        for t in self.session.execute(
            select(tickets).where(tickets.c.request_id.in_(ids)).order_by(tickets.c.id)
        ):
            linked[t.request_id].append(t)
        decided: dict[int, list[Any]] = defaultdict(list)
        for d in self.session.execute(
            select(decisions).where(decisions.c.request_id.in_(ids)).order_by(decisions.c.id)
        ):
            decided[d.request_id].append(d)
        by_id = {row.id: _request(row, linked[row.id], decided[row.id]) for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def save_seen(self) -> None:
        for key in sorted(self._tracked):
            self._save(self._tracked[key])
        for request in self._new:
            self._insert(request)
        self._new.clear()

    def _track(self, request: EscalationRequest) -> Tracked[EscalationRequest]:
        assert request.id is not None
        tracked = Tracked(request, request.version, _columns(request), len(request.decisions))
        self._tracked[request.id] = tracked
        return tracked

    def _save(self, tracked: Tracked[EscalationRequest]) -> None:
        request = tracked.aggregate
        assert request.id is not None
        columns = _columns(request)
        unchanged = columns == tracked.columns and len(request.decisions) == tracked.children
        if unchanged and not request.pending_events and not request.pending_messages:
            return
        request.version = claim_version(
            self.session, EscalationRequestRow, "request", request.id, tracked.version, columns
        )
        self._write_decisions(request, tracked.children)
        self._write_news(request)
        self._track(request)

    def _insert(self, request: EscalationRequest) -> None:
        row = EscalationRequestRow(**_columns(request), version=1)
        self.session.add(row)
        self.session.flush()
        request.id, request.version = row.id, row.version
        self.session.add_all(
            RequestTicketRow(
                request_id=row.id, ticket_id=t.ticket_id, external_id=t.external_id, url=t.url
            )
            for t in request.tickets
        )
        self._write_decisions(request, 0)
        self._write_news(request)
        self._track(request)

    def _write_decisions(self, request: EscalationRequest, before: int) -> None:
        assert request.id is not None
        rows = [
            RequestDecisionRow(
                request_id=request.id,
                outcome=d.outcome.value,
                rationale=d.rationale,
                by_id=d.by_id,
                decided_at=d.at,
                release=d.release,
                escalation_id=d.escalation_id,
                education_id=d.education_id,
                meeting_id=d.meeting_id,
            )
            for d in request.decisions[before:]
        ]
        self.session.add_all(rows)
        self.session.flush()
        for decision, row in zip(request.decisions[before:], rows, strict=True):
            decision.id = row.id

    def _write_news(self, request: EscalationRequest) -> None:
        assert request.id is not None
        for event in request.pending_events:
            self.session.add(mapping.event_row(SUBJECT, request.id, event))
        at = request.decisions[-1].at if request.decisions else request.filed_at
        if request.pending_events:
            at = request.pending_events[-1].at
        for position, message in enumerate(request.pending_messages):
            self.session.add(
                outbox_row(message, SUBJECT, request.id, request.version, position, at)
            )
        request.pending_events.clear()
        request.pending_messages.clear()

    # ------------------------------------------------------------------ what decisions create
    def add_education_item(
        self, request_id: int, gap: str, owner_id: int, due: datetime, now: datetime
    ) -> int:
        row = EducationItemRow(
            request_id=request_id, gap=gap, owner_id=owner_id, due=due, created_at=now
        )
        self.session.add(row)
        self.session.flush()
        return row.id

    def education_item(self, item_id: int) -> EducationItemRow:
        row = self.session.get(EducationItemRow, item_id)
        if row is None:
            raise NotFound("education item", item_id)
        return row

    def add_meeting(
        self, held_at: datetime, attendees: list[int], notes: str, by_id: int | None
    ) -> int:
        row = TriageMeetingRow(held_at=held_at, attendees=attendees, notes=notes, recorded_by=by_id)
        self.session.add(row)
        self.session.flush()
        return row.id

    def meeting(self, meeting_id: int) -> MeetingRecord:
        row = self.session.get(TriageMeetingRow, meeting_id)
        if row is None:
            raise NotFound("triage meeting", meeting_id)
        decided = self.session.scalars(
            select(RequestDecisionRow.request_id)
            .where(RequestDecisionRow.meeting_id == meeting_id)
            .order_by(RequestDecisionRow.id)
        )
        return MeetingRecord(
            row.id, row.held_at, tuple(row.attendees), row.notes, tuple(dict.fromkeys(decided))
        )

    # ------------------------------------------------------------------ agenda reads
    def escalation_tickets(self, escalation_id: int) -> list[LinkedTicket]:
        """The tickets that came along with the request an escalation was opened from."""
        rows = self.session.scalars(
            select(RequestTicketRow)
            .join(
                RequestDecisionRow,
                RequestDecisionRow.request_id == RequestTicketRow.request_id,
            )
            .where(RequestDecisionRow.escalation_id == escalation_id)
            .order_by(RequestTicketRow.id)
        )
        return [LinkedTicket(t.ticket_id, t.external_id, t.url) for t in rows]

    def requesters_of(self, escalation_id: int) -> list[int]:
        """Who filed the requests the triage meeting turned into this escalation: they wait on
        its engineering work and fixes too."""
        rows = self.session.scalars(
            select(EscalationRequestRow.requester_id)
            .join(RequestDecisionRow, RequestDecisionRow.request_id == EscalationRequestRow.id)
            .where(
                RequestDecisionRow.escalation_id == escalation_id,
                EscalationRequestRow.requester_id.is_not(None),
            )
            .distinct()
        )
        return sorted(i for i in rows if i is not None)

    def exit_progress(self, escalation_ids: Collection[int]) -> dict[int, tuple[int, int]]:
        """Exit criteria done and in all, per escalation: one grouped query."""
        if not escalation_ids:
            return {}
        done = func.sum(case((ExitCriterionRow.done, 1), else_=0))
        rows = self.session.execute(
            select(ExitCriterionRow.escalation_id, func.coalesce(done, 0), func.count())
            .where(ExitCriterionRow.escalation_id.in_(list(escalation_ids)))
            .group_by(ExitCriterionRow.escalation_id)
        )
        return {eid: (int(d), int(n)) for eid, d, n in rows}


def _listed(query: Any, statuses: Collection[RequestStatus], account_id: int | None) -> Any:
    if statuses:
        query = query.where(EscalationRequestRow.status.in_([s.value for s in statuses]))
    if account_id is not None:
        query = query.where(EscalationRequestRow.account_id == account_id)
    return query


_REQUEST_SEVERITY = case(
    {"critical": 0, "high": 1, "medium": 2, "low": 3},
    value=EscalationRequestRow.proposed_severity,
    else_=4,
)
_REQUEST_COLUMNS: dict[str, Any] = {
    "id": EscalationRequestRow.id,
    "customer": func.lower(AccountRow.name),
    "summary": func.lower(EscalationRequestRow.problem),  # the summary is its first line
    "status": EscalationRequestRow.status,
    "type": EscalationRequestRow.problem_type,
    "severity": _REQUEST_SEVERITY,
    "filed": EscalationRequestRow.filed_at,
}


def _request_order(order: Order | None) -> list[Any]:
    """REQUEST_ORDERS as columns (the service refused any other key); ties by id."""
    if order is None:
        return [EscalationRequestRow.id.desc()]
    return ordered(_REQUEST_COLUMNS[order.key], order.descending, EscalationRequestRow.id)
