"""The scheduler as a periodic job of the worker: reminders and breaches (R-ESC-6, R-SLA-3).

Each pass is one short transaction; what it writes to the outbox the same worker delivers
through the configured transports, so reminders are as durable as every other message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, time, timedelta

from escdesk.domain.reminders import Lead, ReminderPolicy
from escdesk.domain.severity import SeverityPolicy
from escdesk.notify.worker import PeriodicJob
from escdesk.services.scheduler import PassReport, scheduler_pass
from escdesk.store.scheduler_repository import SchedulerRepository
from escdesk.store.uow import SqlUnitOfWork

log = logging.getLogger("escdesk.scheduler")


def run_pass(
    uow_factory: Callable[[], SqlUnitOfWork],
    now: datetime,
    policy: SeverityPolicy,
    reminders: ReminderPolicy,
    base_url: str,
) -> PassReport:
    with uow_factory() as uow:
        report = scheduler_pass(SchedulerRepository(uow.session), now, policy, reminders, base_url)
        uow.commit()
    if report.reminders_written or report.breaches_recorded:
        log.info("scheduler: %s", report)
    return report


def scheduler_job(
    uow_factory: Callable[[], SqlUnitOfWork],
    policy: SeverityPolicy,
    *,
    lead: str,
    standup_minutes: int,
    base_url: str,
    every: timedelta,
    nudge_at: str = "09:00",
) -> PeriodicJob:
    reminders = ReminderPolicy(
        Lead.parse(lead),
        timedelta(minutes=standup_minutes),
        time.fromisoformat(nudge_at) if nudge_at.strip() else None,
    )
    return PeriodicJob(
        "scheduler",
        every,
        lambda now: run_pass(uow_factory, now, policy, reminders, base_url),
    )
