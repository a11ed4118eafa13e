"""Imported tickets, recurring issues and people's verdicts on ticket pairs (R-REC)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

import escdesk.store.tables.core  # noqa: F401  (tables its foreign keys name)
from escdesk.store.tables.base import Base, BigId
from escdesk.store.types import JsonColumn


class TicketImportRow(Base):
    """One run of `tickets import`. Each ticket carries the run that last wrote it, so the
    similarity index can tell which tickets are newer than itself."""

    __tablename__ = "ticket_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    format: Mapped[str] = mapped_column(String(20))
    file_name: Mapped[str] = mapped_column(String(500))
    started_at: Mapped[datetime]
    written: Mapped[int] = mapped_column(Integer)
    skipped: Mapped[int] = mapped_column(Integer)


class TicketRow(Base):
    """A helpdesk ticket; re-importing the same (source, external_id) updates it in place."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    source: Mapped[str] = mapped_column(String(100))
    external_id: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    account: Mapped[str | None] = mapped_column(Text)
    product_area: Mapped[str | None] = mapped_column(Text)
    component: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    solved_at: Mapped[datetime | None]
    tags: Mapped[list[str]] = mapped_column(JsonColumn)
    first_contact: Mapped[bool | None]
    satisfied: Mapped[bool | None]
    import_id: Mapped[int] = mapped_column(ForeignKey("ticket_imports.id"))

    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_tickets_source_external_id"),
        # Helpdesk ids are looked up without their source ("similar 4711"), and the index
        # names a ticket by its bare id unless another source used that id first.
        Index("ix_tickets_external_id", "external_id"),
        Index("ix_tickets_import", "import_id"),
        Index("ix_tickets_created", "created_at"),
        # The first-contact and CSAT figures count the few tickets that say how they went.
        Index(
            "ix_tickets_first_contact",
            "solved_at",
            sqlite_where=text("first_contact IS NOT NULL"),
            postgresql_where=text("first_contact IS NOT NULL"),
        ),
        Index(
            "ix_tickets_satisfied",
            "solved_at",
            sqlite_where=text("satisfied IS NOT NULL"),
            postgresql_where=text("satisfied IS NOT NULL"),
        ),
    )


class RecurringIssueRow(Base):
    __tablename__ = "recurring_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    named: Mapped[bool] = mapped_column(Boolean)
    fix_reference: Mapped[str | None] = mapped_column(String(500))
    release: Mapped[str | None] = mapped_column(String(200))
    fixed_at: Mapped[datetime | None]
    merged_into: Mapped[int | None] = mapped_column(ForeignKey("recurring_issues.id"))
    created_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(Integer)

    __mapper_args__ = {"version_id_col": version}


class IssueTicketRow(Base):
    """Clustering's record of a ticket: the cluster it joined (named by the cluster's first
    ticket), through which earlier ticket, and the recurring issue the cluster became, if any.
    A ticket without a row has not been clustered yet."""

    __tablename__ = "issue_tickets"

    ticket_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("tickets.id"), primary_key=True, autoincrement=False
    )
    cluster_id: Mapped[int] = mapped_column(BigId)
    issue_id: Mapped[int | None] = mapped_column(ForeignKey("recurring_issues.id"))
    neighbour_id: Mapped[int | None] = mapped_column(BigId)
    similarity: Mapped[float | None] = mapped_column(Float)

    __table_args__ = (
        Index("ix_issue_tickets_issue", "issue_id"),
        Index("ix_issue_tickets_cluster", "cluster_id"),
    )


class IssueEscalationRow(Base):
    """R-REC-3: a recurring issue linked to the escalations it caused."""

    __tablename__ = "issue_escalations"

    issue_id: Mapped[int] = mapped_column(ForeignKey("recurring_issues.id"), primary_key=True)
    escalation_id: Mapped[int] = mapped_column(
        ForeignKey("escalations.id"), primary_key=True, index=True
    )


class TicketJudgementRow(Base):
    """A person's verdict on a pair of tickets (duplicate / not related); one per pair."""

    __tablename__ = "ticket_judgements"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id"))
    other_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id"))
    verdict: Mapped[str] = mapped_column(String(20))
    judged_at: Mapped[datetime]
    judged_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    __table_args__ = (
        UniqueConstraint("ticket_id", "other_id", name="uq_ticket_judgements_pair"),
        Index("ix_ticket_judgements_other", "other_id"),
    )


class RankerVersionRow(Base):
    """A re-ranker refit on the team's links (R-REC-2): its weights and figures as JSON data;
    at most one row is in use (none: the shipped ranker)."""

    __tablename__ = "ranker_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    trained_at: Mapped[datetime]
    trained_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    model: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    figures: Mapped[dict[str, Any]] = mapped_column(JsonColumn)
    kept: Mapped[bool] = mapped_column(Boolean)
    in_use: Mapped[bool] = mapped_column(Boolean, default=False)
    replaced: Mapped[int | None] = mapped_column(Integer)
