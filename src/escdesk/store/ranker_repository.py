"""Re-ranker versions in the store (R-REC-2): at most one is in use; none means the shipped one."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from escdesk.domain.events import Event
from escdesk.domain.ranker_version import RankerVersion
from escdesk.store.mapping import event_row
from escdesk.store.tables import RankerVersionRow

SUBJECT = "ranker"


def _version(row: RankerVersionRow) -> RankerVersion:
    return RankerVersion(
        row.trained_at,
        dict(row.model),
        dict(row.figures),
        row.kept,
        row.trained_by,
        row.in_use,
        row.id,
        row.replaced,
    )


class RankerRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, version: RankerVersion) -> None:
        row = RankerVersionRow(
            trained_at=version.trained_at,
            trained_by=version.trained_by,
            model=version.model,
            figures=version.figures,
            kept=version.kept,
            in_use=False,
            replaced=version.replaced,
        )
        self.session.add(row)
        self.session.flush()
        version.id = row.id

    def get(self, version_id: int) -> RankerVersion | None:
        row = self.session.get(RankerVersionRow, version_id)
        return _version(row) if row is not None else None

    def all(self) -> list[RankerVersion]:
        rows = self.session.scalars(select(RankerVersionRow).order_by(RankerVersionRow.id))
        return [_version(row) for row in rows]

    def in_use(self) -> RankerVersion | None:
        row = self.session.scalar(select(RankerVersionRow).where(RankerVersionRow.in_use))
        return _version(row) if row is not None else None

    def use(self, version_id: int | None) -> None:
        """Put one version in use (None: the shipped ranker), every other out of use."""
        t = RankerVersionRow
        self.session.execute(update(t).where(t.in_use).values(in_use=False))
        if version_id is not None:
            self.session.execute(update(t).where(t.id == version_id).values(in_use=True))
        self.session.flush()

    def record(self, version_id: int, event: Event) -> None:
        """Append to the audit trail in this unit of work's transaction."""
        self.session.add(event_row(SUBJECT, version_id, event))
