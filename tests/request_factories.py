"""Builders for escalation requests: a complete request unless a test says otherwise."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from escdesk.domain.request import EscalationRequest
from escdesk.services import requests as intake
from escdesk.services.ports import UnitOfWork
from escdesk.services.request_commands import FileRequest
from tests.factories import act, add_account, add_person

COMPLETE: dict[str, Any] = {
    "kind": "account",
    "problem": "Exports time out for every report over 10k rows",
    "problem_type": "bug",
    "proposed_severity": "medium",
    "workarounds": "Splitting reports by month; the customer's auditors need one file",
    "difficulty": "medium",
    "dependencies": "none",
    "other_customers": "2",
    "happiness_confirmed": "yes",
    "skills": ["PostgreSQL"],
}


def file_request(
    uow: UnitOfWork, *, now: datetime, by: str | None = None, **overrides: Any
) -> EscalationRequest:
    """A complete request by a support engineer (or `by`) for a new paying account."""
    values = dict(COMPLETE)
    values.update(overrides)
    if "account" not in values:
        values["account"] = add_account(uow, now=now).name
    if by is None:
        by = add_person(uow, "support", now=now).email
    request: EscalationRequest = act(
        uow, FileRequest.parse(**values), now=now, by=by, handler=intake.file_request
    )
    return request
