"""Shapes of the customer status page: only customer-facing fields exist here."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from pydantic import BaseModel

from escdesk.services.status_page import CustomerStatus


class CustomerUpdateOut(BaseModel):
    posted_at: datetime
    body: str


class CustomerCriterionOut(BaseModel):
    text: str
    done: bool
    waived_reason: str | None = None  # left open at closing, with the customer's agreement


class CustomerStatusOut(BaseModel):
    customer: str
    severity: str
    status: str
    opened_at: datetime
    eta: datetime | None
    closed_at: datetime | None
    next_update_due: datetime | None
    exit_criteria: list[CustomerCriterionOut]
    updates: list[CustomerUpdateOut]

    @classmethod
    def of(cls, view: CustomerStatus) -> CustomerStatusOut:
        return cls.model_validate(asdict(view))


class StatusPageOut(BaseModel):
    escalation_id: int
    token: str
    path: str
    url: str
