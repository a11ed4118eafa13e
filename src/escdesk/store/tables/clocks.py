"""Working calendars and breaches (R-SLA)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

import escdesk.store.tables.core  # noqa: F401  (tables its foreign keys name)
from escdesk.store.tables.base import Base, BigId
from escdesk.store.types import JsonColumn


class WorkingCalendarRow(Base):
    """A working calendar (R-SLA-1): hours per weekday, timezone, holidays and closed dates.

    `holiday_dates` holds the public holidays of `holidays` as they were looked up when the
    calendar was saved, so reading a calendar never needs the holidays package.
    """

    __tablename__ = "working_calendars"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    timezone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[list[str]] = mapped_column(JsonColumn)
    holidays: Mapped[str | None] = mapped_column(String(20))
    holiday_dates: Mapped[list[str]] = mapped_column(JsonColumn)
    closed_dates: Mapped[list[str]] = mapped_column(JsonColumn)
    is_default: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AccountCalendarRow(Base):
    """The calendar an account's clocks run in; an account without one uses the default."""

    __tablename__ = "account_calendars"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("accounts.id"), primary_key=True, autoincrement=False
    )
    calendar_id: Mapped[int] = mapped_column(ForeignKey("working_calendars.id"))


class BreachRow(Base):
    """A due moment that passed without its update (R-SLA-3), recorded once when first seen;
    `resolved_at` is when the scheduler first saw the clock moved on (an update, a close)."""

    __tablename__ = "breaches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"))
    audience: Mapped[str] = mapped_column(String(20))
    due_at: Mapped[datetime]
    detected_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    severity: Mapped[str] = mapped_column(String(20))
    dri_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id"))

    __table_args__ = (
        UniqueConstraint("escalation_id", "audience", "due_at", name="uq_breaches_due"),
        Index("ix_breaches_open", "resolved_at"),
    )
