"""Escalation requests, their decisions, education items and triage meetings (R-INT, R-TRI)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

import escdesk.store.tables.core  # noqa: F401  (tables its foreign keys name)
import escdesk.store.tables.tickets  # noqa: F401  (tables its foreign keys name)
from escdesk.store.tables.base import Base, BigId
from escdesk.store.types import JsonColumn


class EscalationRequestRow(Base):
    """R-INT-1: an escalation request, waiting for (or carrying) the triage meeting's decision."""

    __tablename__ = "escalation_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))
    kind: Mapped[str] = mapped_column(String(40))
    problem: Mapped[str] = mapped_column(Text)
    problem_type: Mapped[str] = mapped_column(String(20))
    proposed_severity: Mapped[str] = mapped_column(String(20))
    workarounds: Mapped[str] = mapped_column(Text)
    difficulty: Mapped[str] = mapped_column(String(20))
    dependencies: Mapped[str] = mapped_column(Text)
    business_status: Mapped[str] = mapped_column(String(20))
    arr: Mapped[int] = mapped_column(BigInteger)
    deal_size: Mapped[int | None] = mapped_column(BigInteger)
    expected_close: Mapped[str | None] = mapped_column(String(10))  # ISO date
    other_customers: Mapped[int] = mapped_column(Integer)
    happiness_confirmed: Mapped[bool] = mapped_column(Boolean)
    similar_accounts: Mapped[int] = mapped_column(Integer)
    skills: Mapped[list[str]] = mapped_column(JsonColumn)
    requester_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    filed_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    first_decided_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_escalation_requests_status", "status", "filed_at"),
        Index("ix_escalation_requests_account", "account_id"),
    )


class RequestTicketRow(Base):
    """A ticket a request links: imported (ticket_id) or named by the helpdesk (external id)."""

    __tablename__ = "request_tickets"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("escalation_requests.id"), index=True)
    ticket_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tickets.id"))
    external_id: Mapped[str | None] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(1000))


class RequestDecisionRow(Base):
    """R-TRI-3: each decision of a request, kept when it is re-triaged."""

    __tablename__ = "request_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("escalation_requests.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(20))
    rationale: Mapped[str] = mapped_column(Text)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    decided_at: Mapped[datetime]
    release: Mapped[str | None] = mapped_column(String(100))
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    education_id: Mapped[int | None] = mapped_column(ForeignKey("education_items.id"))
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("triage_meetings.id"))


class EducationItemRow(Base):
    """Seed 001: a documentation or training gap the meeting found, with an owner and a due date."""

    __tablename__ = "education_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("escalation_requests.id"), index=True)
    gap: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    due: Mapped[datetime]
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]


class TriageMeetingRow(Base):
    """R-TRI-1: a triage meeting as held: when, who attended, and its notes."""

    __tablename__ = "triage_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    held_at: Mapped[datetime]
    attendees: Mapped[list[int]] = mapped_column(JsonColumn)
    notes: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
