"""The unit of work: one session, one transaction, every seen aggregate saved at commit."""

from __future__ import annotations

from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from escdesk.domain.errors import DatabaseUnavailable, EscdeskError
from escdesk.store import event_fanout
from escdesk.store.auth_repository import AccessRepository
from escdesk.store.breach_repository import BreachRepository
from escdesk.store.calendar_feed_repository import CalendarFeedRepository
from escdesk.store.calendar_repository import CalendarRepository
from escdesk.store.contact_repository import ContactRepository
from escdesk.store.database import shown_url
from escdesk.store.escalation_repository import EscalationRepository
from escdesk.store.fix_repository import FixRepository, ReleaseRepository
from escdesk.store.judgement_repository import JudgementRepository
from escdesk.store.link_repository import LinkRepository
from escdesk.store.mail_thread_repository import MailThreadRepository
from escdesk.store.metrics_repository import MetricsRepository
from escdesk.store.outbox_repository import OutboxRepository
from escdesk.store.ranker_repository import RankerRepository
from escdesk.store.recurring_repository import RecurringRepository
from escdesk.store.repositories import AccountRepository, PeopleRepository
from escdesk.store.request_repository import RequestRepository
from escdesk.store.retrospective_repository import RetrospectiveRepository
from escdesk.store.survey_repository import SurveyRepository
from escdesk.store.ticket_repository import TicketRepository
from escdesk.store.webhook_repository import WebhookRepository


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event_fanout.install(self._sessions)
        self._open = False

    def __enter__(self) -> Self:
        if self._open:
            # Entering again would start a second session and silently drop the first one's
            # changes; a use case that runs inside another is handed the open unit of work.
            raise RuntimeError("this unit of work is already open; do not enter it again")
        self.session: Session = self._sessions()
        self.people = PeopleRepository(self.session)
        self.accounts = AccountRepository(self.session)
        self.escalations = EscalationRepository(self.session)
        self.access = AccessRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.recurring = RecurringRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self._open = True
        self.contacts = ContactRepository(self.session)
        self.calendar_feeds = CalendarFeedRepository(self.session)
        self.webhooks = WebhookRepository(self.session)
        self.requests = RequestRepository(self.session)
        self.retrospectives = RetrospectiveRepository(self.session)
        self.fixes = FixRepository(self.session)
        self.releases = ReleaseRepository(self.session, self.fixes)
        self.links = LinkRepository(self.session)
        self.judgements = JudgementRepository(self.session)
        self.rankers = RankerRepository(self.session)
        self.calendars = CalendarRepository(self.session)
        self.breaches = BreachRepository(self.session)
        self.mail_threads = MailThreadRepository(self.session)
        self.surveys = SurveyRepository(self.session)
        self.metrics = MetricsRepository(self.session)
        return self

    def __exit__(self, *exc_info: object) -> None:
        exc = exc_info[1] if len(exc_info) > 1 else None
        self._open = False
        try:
            self._rollback(quietly=exc is not None)
        finally:
            self.session.close()
        if isinstance(exc, PoolTimeout):
            # Not a driver error, so the engine's hook never sees it: every connection is busy.
            raise DatabaseUnavailable(
                shown_url(self.engine.url), "no connection of the pool was free in time"
            ) from exc

    def commit(self) -> None:
        """State, audit events and outbox rows of everything touched, in one transaction;
        on a Conflict (or any failure) nothing of it is written."""
        try:
            self.accounts.save_seen()
            self.escalations.save_seen()
            self.recurring.save_seen()
            self.requests.save_seen()
            self.retrospectives.save_seen()
            self.releases.save_seen()
            self.fixes.save_seen()
            self.session.commit()
        except BaseException:
            self._rollback(quietly=True)
            raise

    def rollback(self) -> None:
        self.session.rollback()

    def _rollback(self, *, quietly: bool) -> None:
        """Roll back; `quietly` when another error is already on its way to the caller (a
        database that is gone fails the rollback too, and the first error is the one to tell)."""
        try:
            self.session.rollback()
        except (SQLAlchemyError, EscdeskError):
            if not quietly:
                raise
