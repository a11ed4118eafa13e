"""What the survey use cases need from a store (R-SLA-4)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from escdesk.domain.messages import OutboxMessage
from escdesk.domain.survey import Answer, SurveyLink


class SurveyRepository(Protocol):
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
    ) -> bool: ...
    def link(self, token_hash: str) -> SurveyLink | None: ...
    def answer(self, token_hash: str, answer: Answer, now: datetime) -> bool: ...
