"""Survey links and answers (R-SLA-4): stored by the hash of the link, answered once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, cast, func, literal, select, update
from sqlalchemy.orm import Session

from escdesk.domain.events import Event
from escdesk.domain.messages import OutboxMessage
from escdesk.domain.survey import Answer, SurveyLink
from escdesk.store.outbox_repository import outbox_row
from escdesk.store.tables import EscalationRow, EventRow, SurveyRow

SUBJECT = "survey"


class SurveyRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def invite(
        self,
        *,
        escalation_id: int,
        account_id: int,
        email: str,
        token_hash: str,
        sent_at: datetime,
        expires_at: datetime,
        message: OutboxMessage,
    ) -> bool:
        """One survey per contact per escalation: False (nothing written) if this contact was
        already asked about this escalation, at an earlier closing."""
        asked = self.session.scalar(
            select(SurveyRow.id).where(
                SurveyRow.escalation_id == escalation_id, SurveyRow.email == email.lower()
            )
        )
        if asked is not None:
            return False
        row = SurveyRow(
            escalation_id=escalation_id,
            account_id=account_id,
            email=email.lower(),
            token_hash=token_hash,
            sent_at=sent_at,
            expires_at=expires_at,
        )
        self.session.add(row)
        self.session.flush()
        self.session.add(outbox_row(message, SUBJECT, row.id, 1, 0, sent_at))
        data = {"escalation_id": escalation_id}
        self._record(row.id, Event("survey_sent", sent_at, None, data))
        return True

    def _record(self, survey_id: int, event: Event) -> None:
        self.session.add(
            EventRow(
                subject=SUBJECT,
                subject_id=survey_id,
                type=event.type,
                occurred_at=event.at,
                actor_id=event.actor_id,
                data=event.data,
            )
        )

    def link(self, token_hash: str) -> SurveyLink | None:
        found = self.session.execute(
            select(
                EscalationRow.customer,
                # The customer's words only (R-OPS-2): the internal summary stays in.
                func.coalesce(
                    EscalationRow.customer_summary,
                    literal("ESC-", String) + cast(EscalationRow.id, String),
                ),
                EscalationRow.closed_at,
                SurveyRow.expires_at,
                SurveyRow.answered_at,
                SurveyRow.score,
                EscalationRow.account_id,
            )
            .join(EscalationRow, EscalationRow.id == SurveyRow.escalation_id)
            .where(SurveyRow.token_hash == token_hash)
        ).one_or_none()
        return None if found is None else SurveyLink(*found)

    def answer(self, token_hash: str, answer: Answer, now: datetime) -> bool:
        """Record the answer if the link is unanswered and unexpired: one conditional UPDATE,
        so two answers sent at once cannot both count."""
        survey_id = self.session.scalar(
            update(SurveyRow)
            .where(
                SurveyRow.token_hash == token_hash,
                SurveyRow.answered_at.is_(None),
                SurveyRow.expires_at > now,
            )
            .values(answered_at=now, score=answer.score, comment=answer.comment)
            .returning(SurveyRow.id)
        )
        if survey_id is None:
            return False
        self._record(survey_id, Event("survey_answered", now, None, {"score": answer.score}))
        return True
