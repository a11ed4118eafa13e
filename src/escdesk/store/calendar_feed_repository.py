"""Calendar feeds: each person's secret link, and the standups it lists."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from escdesk.services.calendar_feeds import StandupRecord
from escdesk.store.tables import CalendarFeedRow, CalendarSeriesRow


class CalendarFeedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def token_of(self, person_id: int) -> str | None:
        return self.session.scalar(
            select(CalendarFeedRow.token).where(CalendarFeedRow.person_id == person_id)
        )

    def person_of(self, token: str) -> int | None:
        return self.session.scalar(
            select(CalendarFeedRow.person_id).where(CalendarFeedRow.token == token)
        )

    def publish(self, person_id: int, token: str, now: datetime) -> None:
        self.session.add(CalendarFeedRow(person_id=person_id, token=token, created_at=now))
        self.session.flush()

    def withdraw(self, person_id: int) -> bool:
        result = self.session.execute(
            delete(CalendarFeedRow).where(CalendarFeedRow.person_id == person_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def standups_of(self, email: str) -> list[StandupRecord]:
        """Series not cancelled whose latest attendees include `email`."""
        address = email.strip().lower()
        rows = self.session.scalars(
            select(CalendarSeriesRow)
            .where(CalendarSeriesRow.cancelled.is_(False))
            .order_by(CalendarSeriesRow.uid)
        )
        # Attendee lists are short JSON arrays; filtering here keeps SQLite and PostgreSQL on
        # one query (calendar clients read a feed every few hours, not on every click).
        return [
            StandupRecord(r.uid, r.sequence, dict(r.cadence), r.updated_at)
            for r in rows
            if address in (a.lower() for a in r.attendees)
        ]
