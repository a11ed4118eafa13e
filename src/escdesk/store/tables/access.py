"""Sign-in, sessions, API tokens and public status pages (R-OPS-2)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    ForeignKey,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

import escdesk.store.tables.core  # noqa: F401  (tables its foreign keys name)
from escdesk.store.tables.base import Base


class PasswordRow(Base):
    """A person's argon2 password hash; people without a row cannot sign in."""

    __tablename__ = "passwords"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    changed_at: Mapped[datetime]


class SessionRow(Base):
    """A browser session; only the SHA-256 digest of its cookie is kept."""

    __tablename__ = "sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiTokenRow(Base):
    """A machine's API token acting with one role; only its SHA-256 digest is kept."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(40))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    hint: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class StatusPageRow(Base):
    """A published customer status page: the unguessable link is the only key to it."""

    __tablename__ = "status_pages"

    escalation_id: Mapped[int] = mapped_column(ForeignKey("escalations.id"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    published_at: Mapped[datetime]
