"""Shapes of imported tickets, imports and similar-ticket searches (R-REC-1, R-REC-2)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from escdesk.services.ticket_views import (
    ImportReport,
    IssueRef,
    LinkedEscalation,
    SimilarResult,
    StoredTicket,
    TicketDetail,
)
from escdesk.services.tickets import TicketPage


class TicketOut(BaseModel):
    id: str = Field(description="The helpdesk id, or source:id where two sources share an id.")
    source: str
    external_id: str
    subject: str
    body: str
    account: str | None
    product_area: str | None
    component: str | None
    priority: str | None
    status: str | None
    created_at: datetime
    solved_at: datetime | None
    tags: list[str]

    @classmethod
    def of(cls, stored: StoredTicket) -> TicketOut:
        t = stored.ticket
        return cls(
            id=stored.key,
            source=t.source,
            external_id=t.external_id,
            subject=t.subject,
            body=t.body,
            account=t.account,
            product_area=t.product_area,
            component=t.component,
            priority=t.priority,
            status=t.status,
            created_at=t.created_at,
            solved_at=t.solved_at,
            tags=list(t.tags),
        )


class TicketList(BaseModel):
    items: list[TicketOut]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: TicketPage) -> TicketList:
        return cls(
            items=[TicketOut.of(t) for t in page.items],
            total=page.total,
            limit=page.limit,
            offset=page.offset,
        )


class IssueRefOut(BaseModel):
    id: int
    label: str
    escalations: list[int]

    @classmethod
    def of(cls, ref: IssueRef | None) -> IssueRefOut | None:
        if ref is None:
            return None
        return cls(id=ref.id, label=ref.label, escalations=list(ref.escalation_ids))


class LinkedEscalationOut(BaseModel):
    id: int
    customer: str
    summary: str
    status: str
    severity: str

    @classmethod
    def of(cls, e: LinkedEscalation) -> LinkedEscalationOut:
        return cls(
            id=e.id, customer=e.customer, summary=e.summary, status=e.status, severity=e.severity
        )


class TicketDetailOut(TicketOut):
    issue: IssueRefOut | None
    linked_escalations: list[LinkedEscalationOut]

    @classmethod
    def of_detail(cls, detail: TicketDetail) -> TicketDetailOut:
        return cls(
            **TicketOut.of(detail.stored).model_dump(),
            issue=IssueRefOut.of(detail.issue),
            linked_escalations=[LinkedEscalationOut.of(e) for e in detail.escalations],
        )


class MatchOut(BaseModel):
    id: str
    rank: int = Field(description="1 for the closest; matches come best first.")
    strength: Literal["strong", "possible"] = Field(
        description="How strong a match: show this and the rank, not the score."
    )
    score: float = Field(description="Orders the matches (higher is closer); not a probability.")
    shared_words: list[str] = Field(
        description='Why, as both tickets write it ("upgrade / upgrading" when they differ).'
    )
    shared_terms: list[str] = Field(description="The index terms both hold (stemmed, folded).")
    linked: bool = Field(False, description="A person linked it as a duplicate of the query.")
    subject: str
    account: str | None
    created_at: datetime | None
    issue: IssueRefOut | None


class SimilarOut(BaseModel):
    query: str
    similar: list[MatchOut]
    linked_escalations: list[LinkedEscalationOut] = Field(
        description="Escalations the recurring issues of the matches are linked to (R-REC-2)."
    )

    @classmethod
    def of(cls, result: SimilarResult) -> SimilarOut:
        return cls(
            query=result.query,
            similar=[
                MatchOut(
                    id=m.key,
                    rank=rank,
                    strength="strong" if m.strength == "strong" else "possible",
                    score=m.score,
                    shared_words=list(m.shared_words),
                    shared_terms=list(m.shared_terms),
                    linked=m.linked,
                    subject=m.subject,
                    account=m.account,
                    created_at=m.created_at,
                    issue=IssueRefOut.of(m.issue),
                )
                for rank, m in enumerate(result.matches, start=1)
            ],
            linked_escalations=[LinkedEscalationOut.of(e) for e in result.escalations],
        )


class SkippedOut(BaseModel):
    where: str
    field: str
    problem: str
    fix: str


class ImportOut(BaseModel):
    import_id: int
    source: str
    format: str
    read: int
    new: int
    updated: int
    skipped: list[SkippedOut]

    @classmethod
    def of(cls, report: ImportReport) -> ImportOut:
        return cls(
            import_id=report.import_id,
            source=report.source,
            format=report.format,
            read=report.read,
            new=report.new,
            updated=report.updated,
            skipped=[
                SkippedOut(where=s.where, field=s.field, problem=s.problem, fix=s.fix)
                for s in report.skipped
            ],
        )
