"""The unit of work: one session, one transaction, every seen aggregate saved at commit.

A repository is built the first time a use case asks for it, and its module (with the tables it
maps) is imported then: a command that lists escalations does not import, or map, the tickets,
the triage meetings or the webhooks. `commit` saves the repositories built, in one fixed order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from escdesk.domain.errors import DatabaseUnavailable, EscdeskError
from escdesk.store import event_fanout
from escdesk.store.database import shown_url

if TYPE_CHECKING:
    from escdesk.store.auth_repository import AccessRepository
    from escdesk.store.breach_repository import BreachRepository
    from escdesk.store.calendar_feed_repository import CalendarFeedRepository
    from escdesk.store.calendar_repository import CalendarRepository
    from escdesk.store.contact_repository import ContactRepository
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

R = TypeVar("R")

SAVED_AT_COMMIT = (
    "accounts",
    "escalations",
    "recurring",
    "requests",
    "retrospectives",
    "releases",
    "fixes",
)
"""The repositories that keep aggregates to save, in the order a commit saves them."""


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event_fanout.install(self._sessions)
        self._open = False
        self._repositories: dict[str, Any] = {}

    def __enter__(self) -> Self:
        if self._open:
            # Entering again would start a second session and silently drop the first one's
            # changes; a use case that runs inside another is handed the open unit of work.
            raise RuntimeError("this unit of work is already open; do not enter it again")
        self.session: Session = self._sessions()
        self._repositories = {}
        self._open = True
        return self

    def _built(self, name: str, build: Callable[[Session], R]) -> R:
        """The session's repository `name`, built on first use."""
        if name not in self._repositories:
            if not hasattr(self, "session"):
                raise RuntimeError(f"open the unit of work (with uow:) before using uow.{name}")
            self._repositories[name] = build(self.session)
        repository: R = self._repositories[name]
        return repository

    @property
    def people(self) -> PeopleRepository:
        from escdesk.store.repositories import PeopleRepository

        return self._built("people", PeopleRepository)

    @property
    def accounts(self) -> AccountRepository:
        from escdesk.store.repositories import AccountRepository

        return self._built("accounts", AccountRepository)

    @property
    def escalations(self) -> EscalationRepository:
        from escdesk.store.escalation_repository import EscalationRepository

        return self._built("escalations", EscalationRepository)

    @property
    def access(self) -> AccessRepository:
        from escdesk.store.auth_repository import AccessRepository

        return self._built("access", AccessRepository)

    @property
    def tickets(self) -> TicketRepository:
        from escdesk.store.ticket_repository import TicketRepository

        return self._built("tickets", TicketRepository)

    @property
    def recurring(self) -> RecurringRepository:
        from escdesk.store.recurring_repository import RecurringRepository

        return self._built("recurring", RecurringRepository)

    @property
    def outbox(self) -> OutboxRepository:
        from escdesk.store.outbox_repository import OutboxRepository

        return self._built("outbox", OutboxRepository)

    @property
    def contacts(self) -> ContactRepository:
        from escdesk.store.contact_repository import ContactRepository

        return self._built("contacts", ContactRepository)

    @property
    def calendar_feeds(self) -> CalendarFeedRepository:
        from escdesk.store.calendar_feed_repository import CalendarFeedRepository

        return self._built("calendar_feeds", CalendarFeedRepository)

    @property
    def webhooks(self) -> WebhookRepository:
        from escdesk.store.webhook_repository import WebhookRepository

        return self._built("webhooks", WebhookRepository)

    @property
    def requests(self) -> RequestRepository:
        from escdesk.store.request_repository import RequestRepository

        return self._built("requests", RequestRepository)

    @property
    def retrospectives(self) -> RetrospectiveRepository:
        from escdesk.store.retrospective_repository import RetrospectiveRepository

        return self._built("retrospectives", RetrospectiveRepository)

    @property
    def fixes(self) -> FixRepository:
        from escdesk.store.fix_repository import FixRepository

        return self._built("fixes", FixRepository)

    @property
    def releases(self) -> ReleaseRepository:
        from escdesk.store.fix_repository import ReleaseRepository

        fixes = self.fixes
        return self._built("releases", lambda session: ReleaseRepository(session, fixes))

    @property
    def links(self) -> LinkRepository:
        from escdesk.store.link_repository import LinkRepository

        return self._built("links", LinkRepository)

    @property
    def judgements(self) -> JudgementRepository:
        from escdesk.store.judgement_repository import JudgementRepository

        return self._built("judgements", JudgementRepository)

    @property
    def rankers(self) -> RankerRepository:
        from escdesk.store.ranker_repository import RankerRepository

        return self._built("rankers", RankerRepository)

    @property
    def calendars(self) -> CalendarRepository:
        from escdesk.store.calendar_repository import CalendarRepository

        return self._built("calendars", CalendarRepository)

    @property
    def breaches(self) -> BreachRepository:
        from escdesk.store.breach_repository import BreachRepository

        return self._built("breaches", BreachRepository)

    @property
    def mail_threads(self) -> MailThreadRepository:
        from escdesk.store.mail_thread_repository import MailThreadRepository

        return self._built("mail_threads", MailThreadRepository)

    @property
    def surveys(self) -> SurveyRepository:
        from escdesk.store.survey_repository import SurveyRepository

        return self._built("surveys", SurveyRepository)

    @property
    def metrics(self) -> MetricsRepository:
        from escdesk.store.metrics_repository import MetricsRepository

        return self._built("metrics", MetricsRepository)

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
            for name in SAVED_AT_COMMIT:
                if name in self._repositories:
                    self._repositories[name].save_seen()
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
