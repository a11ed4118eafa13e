"""Customer contacts of an account, for customer-facing e-mail (R-ESC-6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from escdesk.domain.accounts import CustomerContact
from escdesk.store.tables import CustomerContactRow


def _contact(row: CustomerContactRow) -> CustomerContact:
    return CustomerContact(row.account_id, row.name, row.email, row.language, row.id)


class ContactRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, contact: CustomerContact, now: datetime) -> CustomerContact:
        row = CustomerContactRow(
            account_id=contact.account_id,
            name=contact.name,
            email=contact.email,
            language=contact.language,
            created_at=now,
        )
        self.session.add(row)
        self.session.flush()
        return _contact(row)

    def of_account(self, account_id: int) -> list[CustomerContact]:
        rows = self.session.scalars(
            select(CustomerContactRow)
            .where(CustomerContactRow.account_id == account_id)
            .order_by(CustomerContactRow.name, CustomerContactRow.id)
        )
        return [_contact(r) for r in rows]

    def find(self, account_id: int, email: str) -> CustomerContact | None:
        row = self.session.scalar(
            select(CustomerContactRow).where(
                CustomerContactRow.account_id == account_id,
                CustomerContactRow.email == email.strip().lower(),
            )
        )
        return _contact(row) if row else None

    def remove(self, account_id: int, email: str) -> bool:
        result = self.session.execute(
            delete(CustomerContactRow).where(
                CustomerContactRow.account_id == account_id,
                CustomerContactRow.email == email.strip().lower(),
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
