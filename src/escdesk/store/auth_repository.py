"""Who may see what, in the store: passwords, sessions, API tokens and status-page links.

Only digests of session and API tokens are stored (the services hash them before they get
here); lookups go by the unique digest column, so finding a token is one index probe.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from escdesk.domain.access import TokenInfo
from escdesk.domain.errors import NotFound
from escdesk.domain.events import Event
from escdesk.domain.people import Role
from escdesk.store.mapping import event_row
from escdesk.store.tables import (
    ApiTokenRow,
    PasswordRow,
    SessionRow,
    StatusPageRow,
)


def _token_info(row: ApiTokenRow) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        hint=row.hint,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
    )


class AccessRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # ------------------------------------------------------------------ passwords
    def password_hash(self, person_id: int) -> str | None:
        return self.session.scalar(
            select(PasswordRow.password_hash).where(PasswordRow.person_id == person_id)
        )

    def set_password_hash(self, person_id: int, password_hash: str, now: datetime) -> None:
        row = self.session.get(PasswordRow, person_id)
        if row is None:
            self.session.add(
                PasswordRow(person_id=person_id, password_hash=password_hash, changed_at=now)
            )
        else:
            row.password_hash, row.changed_at = password_hash, now
        self.session.flush()

    # ------------------------------------------------------------------ sessions
    def add_session(
        self, token_hash: str, person_id: int, created_at: datetime, expires_at: datetime
    ) -> None:
        self.session.add(
            SessionRow(
                token_hash=token_hash,
                person_id=person_id,
                created_at=created_at,
                expires_at=expires_at,
            )
        )
        self.session.flush()

    def session_person(self, token_hash: str, now: datetime) -> int | None:
        return self.session.scalar(
            select(SessionRow.person_id).where(
                SessionRow.token_hash == token_hash, SessionRow.expires_at > now
            )
        )

    def delete_session(self, token_hash: str) -> bool:
        result = self.session.execute(delete(SessionRow).where(SessionRow.token_hash == token_hash))
        return bool(getattr(result, "rowcount", 0))

    def delete_sessions_of(self, person_id: int) -> int:
        result = self.session.execute(delete(SessionRow).where(SessionRow.person_id == person_id))
        return int(getattr(result, "rowcount", 0) or 0)

    # ------------------------------------------------------------------ API tokens
    def add_token(
        self, name: str, role: Role, token_hash: str, hint: str, now: datetime
    ) -> TokenInfo:
        row = ApiTokenRow(
            name=name, role=role.value, token_hash=token_hash, hint=hint, created_at=now
        )
        self.session.add(row)
        self.session.flush()
        return _token_info(row)

    def tokens(self) -> list[TokenInfo]:
        rows = self.session.scalars(select(ApiTokenRow).order_by(ApiTokenRow.id))
        return [_token_info(r) for r in rows]

    def token_by_hash(self, token_hash: str) -> TokenInfo | None:
        row = self.session.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
        return _token_info(row) if row is not None else None

    def touch_token(self, token_id: int, now: datetime) -> None:
        self.session.execute(
            update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=now)
        )

    def revoke_token(self, token_id: int, now: datetime) -> TokenInfo:
        row = self.session.get(ApiTokenRow, token_id)
        if row is None:
            raise NotFound("token", token_id)
        if row.revoked_at is None:
            row.revoked_at = now
            self.session.flush()
        return _token_info(row)

    # ------------------------------------------------------------------ status pages
    def status_page_token(self, escalation_id: int) -> str | None:
        return self.session.scalar(
            select(StatusPageRow.token).where(StatusPageRow.escalation_id == escalation_id)
        )

    def publish_status_page(self, escalation_id: int, token: str, now: datetime) -> None:
        self.session.add(StatusPageRow(escalation_id=escalation_id, token=token, published_at=now))
        self.session.flush()

    def unpublish_status_page(self, escalation_id: int) -> bool:
        result = self.session.execute(
            delete(StatusPageRow).where(StatusPageRow.escalation_id == escalation_id)
        )
        return bool(getattr(result, "rowcount", 0))

    def status_page_escalation(self, token: str) -> int | None:
        return self.session.scalar(
            select(StatusPageRow.escalation_id).where(StatusPageRow.token == token)
        )

    # ------------------------------------------------------------------ audit trail
    def record(self, subject: str, subject_id: int, event: Event) -> None:
        """Append to the audit trail (R-ESC-11) in this unit of work's transaction."""
        self.session.add(event_row(subject, subject_id, event))
