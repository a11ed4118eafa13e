"""The signed Slack requests heard within Slack's five-minute window, shared by every process
of `escdesk serve`, so a replay is refused whichever process it reaches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from escdesk.store.tables.base import Base


class HeardSlackRequestRow(Base):
    """One request's `X-Slack-Signature`, unique: a second insert is the replay."""

    __tablename__ = "slack_requests_heard"

    signature: Mapped[str] = mapped_column(String(100), primary_key=True)
    stamp: Mapped[int] = mapped_column(BigInteger)
    """The request's `X-Slack-Request-Timestamp`; rows older than the window are purged."""
    heard_at: Mapped[datetime]

    __table_args__ = (Index("ix_slack_requests_heard_stamp", "stamp"),)
