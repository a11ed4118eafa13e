"""Verdicts on ticket pairs in the store: one row per pair, whichever order it was judged in."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from escdesk.domain.ticket_judgement import TicketJudgement, Verdict
from escdesk.store.tables import TicketJudgementRow


def _judgement(row: TicketJudgementRow) -> TicketJudgement:
    return TicketJudgement(
        row.ticket_id, row.other_id, Verdict(row.verdict), row.judged_at, row.judged_by, row.id
    )


class JudgementRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _row(self, a: int, b: int) -> TicketJudgementRow | None:
        t = TicketJudgementRow
        return self.session.scalar(
            select(t).where(
                or_(
                    and_(t.ticket_id == a, t.other_id == b), and_(t.ticket_id == b, t.other_id == a)
                )
            )
        )

    def save(self, judgement: TicketJudgement) -> bool:
        """Write the verdict, replacing an earlier one on the same pair; True if it replaced."""
        row = self._row(judgement.ticket_id, judgement.other_id)
        replaced = row is not None
        if row is None:
            row = TicketJudgementRow(ticket_id=judgement.ticket_id, other_id=judgement.other_id)
            self.session.add(row)
        row.verdict = judgement.verdict.value
        row.judged_at = judgement.judged_at
        row.judged_by = judgement.judged_by
        self.session.flush()
        judgement.id = row.id
        return replaced

    def of_tickets(self, ticket_ids: Iterable[int]) -> list[TicketJudgement]:
        """Every verdict on a pair with one of these tickets in it."""
        ids = list(set(ticket_ids))
        if not ids:
            return []
        t = TicketJudgementRow
        rows = self.session.scalars(
            select(t).where(or_(t.ticket_id.in_(ids), t.other_id.in_(ids))).order_by(t.id)
        )
        return [_judgement(row) for row in rows]

    def all(self) -> list[TicketJudgement]:
        rows = self.session.scalars(select(TicketJudgementRow).order_by(TicketJudgementRow.id))
        return [_judgement(row) for row in rows]
