"""Engineering links in the store: written when added, updated when a sync sees a new state
(with the notices that closing the loop asks for, in the same transaction)."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from escdesk.domain.engineering_links import (
    EngineeringLink,
    LinkKind,
    LinkState,
    ParsedLink,
    Tracker,
    parse_link,
)
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.store.news import latest, write_news
from escdesk.store.tables import EngineeringLinkRow


def _link(row: EngineeringLinkRow) -> EngineeringLink:
    try:
        parsed = parse_link(row.url)
    except InvalidInput:  # a URL stored by an older parser: keep what was stored
        parsed = ParsedLink(Tracker(row.tracker), LinkKind(row.kind), row.key, row.url, "")
    return EngineeringLink(
        subject_type=row.subject_type,
        subject_id=row.subject_id,
        parsed=parsed,
        created_at=row.created_at,
        created_by=row.created_by,
        state=LinkState(row.state),
        remote_status=row.remote_status,
        checked_at=row.checked_at,
        closed_at=row.closed_at,
        id=row.id,
        version=row.version,
    )


class LinkRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, link: EngineeringLink) -> None:
        p = link.parsed
        taken = self.session.scalar(
            select(EngineeringLinkRow.id).where(
                EngineeringLinkRow.subject_type == link.subject_type,
                EngineeringLinkRow.subject_id == link.subject_id,
                EngineeringLinkRow.url == p.url,
            )
        )
        if taken is not None:
            raise InvalidInput("url", f"{p.key} is already linked", "Nothing to do")
        row = EngineeringLinkRow(
            subject_type=link.subject_type,
            subject_id=link.subject_id,
            url=p.url,
            tracker=p.tracker.value,
            kind=p.kind.value,
            key=p.key,
            state=link.state.value,
            remote_status=link.remote_status,
            created_at=link.created_at,
            created_by=link.created_by,
            checked_at=None,
            closed_at=None,
            version=link.version,
        )
        self.session.add(row)
        self.session.flush()
        link.id = row.id
        self._news(link)

    def get(self, link_id: int) -> EngineeringLink:
        row = self.session.get(EngineeringLinkRow, link_id)
        if row is None:
            raise NotFound("engineering link", link_id)
        return _link(row)

    def of(self, subject_type: str, subject_id: int) -> list[EngineeringLink]:
        rows = self.session.scalars(
            select(EngineeringLinkRow)
            .where(
                EngineeringLinkRow.subject_type == subject_type,
                EngineeringLinkRow.subject_id == subject_id,
            )
            .order_by(EngineeringLinkRow.id)
        )
        return [_link(r) for r in rows]

    def count(self, subject_type: str, subject_id: int) -> int:
        query = select(func.count(EngineeringLinkRow.id)).where(
            EngineeringLinkRow.subject_type == subject_type,
            EngineeringLinkRow.subject_id == subject_id,
        )
        return int(self.session.scalar(query) or 0)

    def not_closed(self) -> list[EngineeringLink]:
        rows = self.session.scalars(
            select(EngineeringLinkRow)
            .where(EngineeringLinkRow.state != LinkState.CLOSED.value)
            .order_by(EngineeringLinkRow.id)
        )
        return [_link(r) for r in rows]

    def remove(self, link_id: int) -> EngineeringLink:
        link = self.get(link_id)
        self.session.execute(delete(EngineeringLinkRow).where(EngineeringLinkRow.id == link_id))
        return link

    def save(self, link: EngineeringLink) -> None:
        """A sync's observation; claims the version it was read at so two syncs never both
        tell everyone."""
        assert link.id is not None
        result = self.session.execute(
            update(EngineeringLinkRow)
            .where(EngineeringLinkRow.id == link.id, EngineeringLinkRow.version == link.version - 1)
            .values(
                state=link.state.value,
                remote_status=link.remote_status,
                checked_at=link.checked_at,
                closed_at=link.closed_at,
                version=link.version,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) != 1:
            link.pending_messages.clear()
            link.pending_events.clear()
            return
        self._news(link)

    def touch(self, link: EngineeringLink) -> None:
        """Checked, no change: only when it was looked at."""
        assert link.id is not None
        self.session.execute(
            update(EngineeringLinkRow)
            .where(EngineeringLinkRow.id == link.id)
            .values(checked_at=link.checked_at, remote_status=link.remote_status)
            .execution_options(synchronize_session=False)
        )

    def _news(self, link: EngineeringLink) -> None:
        assert link.id is not None
        at = latest(link.pending_events, link.created_at)
        write_news(
            self.session,
            "link",
            link.id,
            link.version,
            link.pending_events,
            link.pending_messages,
            at,
            link.subject_id if link.subject_type == "escalation" else None,
        )
