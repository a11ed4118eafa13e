"""Breaches as the report reads them (R-SLA-3): the DRI and account named."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from escdesk.services.breaches import Breach
from escdesk.store.tables import AccountRow, BreachRow, PersonRow


class BreachRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self, since: datetime | None, limit: int) -> list[Breach]:
        query = (
            select(
                BreachRow.id,
                BreachRow.escalation_id,
                BreachRow.audience,
                BreachRow.due_at,
                BreachRow.resolved_at,
                BreachRow.severity,
                BreachRow.dri_id,
                PersonRow.name,
                BreachRow.account_id,
                AccountRow.name,
            )
            .join(PersonRow, PersonRow.id == BreachRow.dri_id)
            .join(AccountRow, AccountRow.id == BreachRow.account_id)
            .order_by(BreachRow.due_at.desc(), BreachRow.id.desc())
            .limit(limit)
        )
        if since is not None:
            query = query.where(BreachRow.due_at >= since)
        return [
            Breach(
                id=b_id,
                escalation_id=escalation_id,
                audience=audience,
                due_at=due_at,
                resolved_at=resolved_at,
                severity=severity,
                dri_id=dri_id,
                dri_name=dri_name,
                account_id=account_id,
                account_name=account_name,
            )
            for (
                b_id,
                escalation_id,
                audience,
                due_at,
                resolved_at,
                severity,
                dri_id,
                dri_name,
                account_id,
                account_name,
            ) in self.session.execute(query)
        ]
