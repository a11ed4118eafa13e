"""Retrospectives, follow-ups, releases, fixes and engineering links (R-RCA, R-FIX)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import escdesk.store.tables.core  # noqa: F401  (tables its foreign keys name)
import escdesk.store.tables.tickets  # noqa: F401  (tables its foreign keys name)
import escdesk.store.tables.triage  # noqa: F401  (tables its foreign keys name)
from escdesk.store.tables.base import Base


class RetrospectiveRow(Base):
    """R-RCA-1: one per escalation that reached Engineering; the timeline is the audit trail."""

    __tablename__ = "retrospectives"

    id: Mapped[int] = mapped_column(primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), unique=True)
    status: Mapped[str] = mapped_column(String(20))
    opened_at: Mapped[datetime]
    due_at: Mapped[datetime]
    root_cause: Mapped[str | None] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text)
    internal_notes: Mapped[str] = mapped_column(Text)
    missed: Mapped[dict[str, Any]]
    """{"items": [text, …]}: the missed opportunities, in the order they were written."""
    annotations: Mapped[dict[str, Any]]
    """{event id: note}: people's notes on lines of the timeline."""
    completed_at: Mapped[datetime | None]
    overdue_told: Mapped[bool] = mapped_column(Boolean)
    version: Mapped[int] = mapped_column(Integer)


class FollowUpRow(Base):
    """R-RCA-2: an action with an owner and a due date, tracked to done and reminded."""

    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    retrospective_id: Mapped[int] = mapped_column(ForeignKey("retrospectives.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    team: Mapped[str] = mapped_column(String(80))
    due_at: Mapped[datetime]
    created_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    reminders_sent: Mapped[int] = mapped_column(Integer)
    tracker_url: Mapped[str | None] = mapped_column(String(2000))
    tracker_requested_at: Mapped[datetime | None]
    """When a new tracker issue was asked for; the worker then records its URL."""

    __table_args__ = (Index("ix_follow_ups_open", "done_at", "due_at"),)


class ReleaseRow(Base):
    """R-FIX-1/2: an interim release; its contents are the fixes that name it, by position."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_version: Mapped[str] = mapped_column(String(40), unique=True)
    planned_on: Mapped[date]
    status: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime]
    shipped_at: Mapped[datetime | None]
    notes: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)


class FixRow(Base):
    """R-FIX-1: a support-written fix, its review and the release that shipped it."""

    __tablename__ = "fixes"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    content: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(String(2000))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    escalation_id: Mapped[int | None] = mapped_column(ForeignKey("escalations.id"), index=True)
    recurring_issue_id: Mapped[int | None] = mapped_column(
        ForeignKey("recurring_issues.id"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(ForeignKey("escalation_requests.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    review_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    reviewed_at: Mapped[datetime | None]
    release_id: Mapped[int | None] = mapped_column(ForeignKey("releases.id"), index=True)
    position: Mapped[int | None] = mapped_column(Integer)
    submitted_at: Mapped[datetime]
    reported_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)


class EngineeringLinkRow(Base):
    """A Jira, GitHub or GitLab issue or pull/merge request linked from an escalation, a
    request or a recurring issue, with the state the last sync saw."""

    __tablename__ = "engineering_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[int] = mapped_column(Integer)
    url: Mapped[str] = mapped_column(String(2000))
    tracker: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    key: Mapped[str] = mapped_column(String(300))
    state: Mapped[str] = mapped_column(String(10))
    remote_status: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    checked_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        UniqueConstraint("subject_type", "subject_id", "url", name="uq_engineering_links_subject"),
        Index("ix_engineering_links_state", "state"),
    )
