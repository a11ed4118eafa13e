"""The composition root: the one place that builds what every process of escdesk runs on.

The CLI, the ASGI app factory and the delivery worker each call `bootstrap()` once and take
settings, engine, unit-of-work factory, clock, severity policy and the runner from the `Desk` it
returns, so no face loads settings, parses the policy or decides the migration rule itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from escdesk.config import Settings, load_settings
from escdesk.domain.access import Actor
from escdesk.domain.errors import RuleRefused, StateRefused
from escdesk.domain.retention import Retention
from escdesk.domain.severity import SeverityPolicy
from escdesk.services.runner import Runner
from escdesk.store.database import DatabaseLimits, make_engine
from escdesk.store.migrate import current_revision, head_revision, upgrade
from escdesk.store.tables import map_every_table
from escdesk.store.uow import SqlUnitOfWork

if TYPE_CHECKING:  # delivery is imported by the processes that deliver, not by every command
    from escdesk.notify.transport import Transport
    from escdesk.notify.worker import PeriodicJob, Worker
    from escdesk.services.calendars import HolidaySource

log = logging.getLogger("escdesk.retention")


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Desk:
    """Everything a face needs, built once per process."""

    settings: Settings
    engine: Engine
    policy: SeverityPolicy
    clock: Callable[[], datetime] = system_clock
    runner: Runner = field(init=False)

    def __post_init__(self) -> None:
        self.runner = Runner(self.uow, lambda: self.clock(), self.policy)

    def uow(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)

    def transports(self) -> list[Transport]:
        """The transports the settings configure; a kind without one waits in the outbox."""
        from escdesk.notify.transports import build_transports

        return [build_transports(self.settings, self.engine, self.clock), self.tracker_issues()]

    def tracker_issues(self) -> Transport:
        """Follow-ups mirrored as new tracker issues (R-RCA-2): created over the trackers'
        REST APIs, then recorded on the follow-up through the runner, as escdesk itself."""
        from escdesk.adapters.tracker_issues import TrackerIssueClient  # httpx when needed
        from escdesk.notify.tracker_issues import TrackerIssueTransport
        from escdesk.services.retrospectives import RecordTrackerIssue, record_tracker_issue
        from escdesk.store.notify_repository import NotifyStore

        def record(retro_id: int, number: int, url: str) -> object:
            cmd = RecordTrackerIssue(retro_id, number, url)
            return self.runner.run(record_tracker_issue, cmd, Actor.system("tracker"))

        return TrackerIssueTransport(
            TrackerIssueClient(self.settings),
            NotifyStore(self.engine, self.clock),
            record,
            base_url=self.settings.base_url,
        )

    def worker(self) -> Worker:
        from escdesk.notify.worker import PeriodicJob, RetryPolicy, Worker

        map_every_table()  # before its threads start, whichever face built the desk
        from escdesk.services.after_pass import after_escalation_pass
        from escdesk.store.ops_repository import DatabaseHeartbeats

        settings = self.settings
        worker = Worker(
            uow_factory=self.uow,
            transports=self.transports(),
            clock=self.clock,
            retry=RetryPolicy(max_attempts=settings.delivery_max_attempts),
            poll=settings.worker_poll_seconds,
            lease=timedelta(seconds=settings.worker_lease_seconds),
            heartbeats=DatabaseHeartbeats(self.engine),
            periodic=[
                self.scheduler(),
                PeriodicJob(
                    "after_escalation",
                    timedelta(minutes=5),
                    lambda now: after_escalation_pass(self.uow(), now),
                ),
                PeriodicJob("retention", timedelta(hours=6), self.prune),
            ],
        )
        if settings.ranker_training_days:
            every = timedelta(days=settings.ranker_training_days)
            worker.periodic.append(PeriodicJob("ranker_training", every, self.train_ranker))
        if settings.trackers_configured:
            from escdesk.adapters.trackers import TrackerClient
            from escdesk.services.links import sync_follow_ups, sync_links

            client = TrackerClient(settings)

            def sync(now: datetime) -> int:
                return sync_links(self.uow, client, now) + sync_follow_ups(self.uow, client, now)

            job = PeriodicJob("tracker_sync", timedelta(minutes=10), sync)
            worker.periodic.append(job)
        return worker

    def train_ranker(self, now: datetime) -> bool:
        """Re-train the similar-tickets ranker on the team's links (R-REC-2), as escdesk itself;
        True when the new one was kept. Nothing to learn from yet is not a failure."""
        from escdesk.services.ranker import TrainRanker, TrainRankerHandler
        from escdesk.similarity import open_index

        url = self.engine.url.render_as_string(hide_password=False)
        handler = TrainRankerHandler(
            open_index(self.settings.index_dir, url, self.settings.recurring_grouping)
        )
        try:
            trained = self.runner.run(handler, TrainRanker(), Actor.system("ranker"))
        except RuleRefused as refused:
            logging.getLogger("escdesk.ranker").info("training skipped: %s", refused.problem)
            return False
        return trained.version.kept

    def retention(self) -> Retention:
        settings = self.settings
        return Retention(
            sessions_days=settings.retention_sessions_days,
            delivered_messages_days=settings.retention_messages_days,
            webhook_log_days=settings.retention_webhook_log_days,
        )

    def prune(self, now: datetime) -> int:
        """Delete what is past its retention (never the audit trail); how many rows went."""
        from escdesk.store.retention_repository import prune

        pruned = prune(self.engine, self.retention().cutoffs(now))
        if any(pruned.values()):
            log.info("retention pruned %s", ", ".join(f"{n} {t}" for t, n in pruned.items()))
        return sum(pruned.values())

    def scheduler(self) -> PeriodicJob:
        """Reminders and breaches (R-ESC-6, R-SLA-3), a periodic pass of the worker."""
        from escdesk.notify.scheduler import scheduler_job

        settings = self.settings
        return scheduler_job(
            self.uow,
            self.policy,
            lead=settings.reminder_lead,
            standup_minutes=settings.standup_reminder_minutes,
            base_url=settings.base_url,
            every=timedelta(seconds=settings.scheduler_every_seconds),
            nudge_at=settings.daily_nudge_time,
        )

    def holidays(self) -> HolidaySource:
        """Public holidays for the calendars (the `holidays` package, imported when asked)."""
        from escdesk.adapters.holidays import PublicHolidays

        return PublicHolidays()

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    clock: Callable[[], datetime] | None = None,
    every_table: bool = True,
) -> Desk:
    """Build the desk from settings (default: environment over `escdesk.toml` over defaults).

    A long-running process maps every table now, once, before it serves anyone; a command
    (`every_table=False`) maps only the tables its repositories import.
    """
    if every_table:
        map_every_table()
    settings = settings or load_settings()
    return Desk(
        settings=settings,
        engine=engine or make_engine(settings.database_url, DatabaseLimits.of(settings)),
        policy=settings.severity_policy(),
        clock=clock or system_clock,
    )


def prepare_database(engine: Engine) -> None:
    """Run only on a database at the revision this escdesk needs. The embedded SQLite store is
    single-user, so it is upgraded in place; a shared PostgreSQL only on purpose
    (`escdesk db upgrade`), because other processes may still run the old version."""
    current, head = current_revision(engine), head_revision()
    if current == head:
        return
    if engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise StateRefused(
        f"the database is at revision {current or 'none (empty)'}, escdesk needs {head}: "
        "run `escdesk db upgrade`"
    )
