"""The unit of work: one session, one transaction, every seen aggregate saved at commit."""

from __future__ import annotations

from typing import Self

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from escdesk.store.auth_repository import AccessRepository
from escdesk.store.calendar_feed_repository import CalendarFeedRepository
from escdesk.store.contact_repository import ContactRepository
from escdesk.store.recurring_repository import RecurringRepository
from escdesk.store.repositories import (
    AccountRepository,
    EscalationRepository,
    PeopleRepository,
)
from escdesk.store.ticket_repository import TicketRepository
from escdesk.store.webhook_repository import WebhookRepository


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def __enter__(self) -> Self:
        self.session: Session = self._sessions()
        self.people = PeopleRepository(self.session)
        self.accounts = AccountRepository(self.session)
        self.escalations = EscalationRepository(self.session)
        self.access = AccessRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.recurring = RecurringRepository(self.session)
        self.contacts = ContactRepository(self.session)
        self.calendar_feeds = CalendarFeedRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        return self

    def __exit__(self, *args: object) -> None:
        self.rollback()
        self.session.close()

    def commit(self) -> None:
        """State, audit events and outbox rows of everything touched, in one transaction."""
        self.accounts.save_seen()
        self.escalations.save_seen()
        self.recurring.save_seen()
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
