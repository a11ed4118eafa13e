"""Every page of escdesk, gathered in one router that the application mounts at `/`."""

from __future__ import annotations

from fastapi import APIRouter

from escdesk.web.errors import render_error
from escdesk.web.routes import (
    actions,
    calendars,
    dashboard,
    directory,
    escalation_clocks,
    escalations,
    fixes,
    metrics_page,
    outbox,
    rankers,
    recurring,
    requests,
    retrospectives,
    search,
    session,
    settings,
    status,
    survey,
    tickets,
    triage,
)

router = APIRouter(include_in_schema=False)
for _module in (
    session,
    dashboard,
    escalations,
    search,
    actions,
    directory,
    settings,
    status,
    recurring,
    rankers,
    outbox,
    requests,
    triage,
    retrospectives,
    fixes,
    calendars,
    escalation_clocks,
    survey,
    metrics_page,
):
    router.include_router(_module.router)
router.include_router(tickets.router)  # after recurring: /tickets/similar is not a ticket

__all__ = ["render_error", "router"]
