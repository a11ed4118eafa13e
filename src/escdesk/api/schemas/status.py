"""Shapes of the customer status page: only customer-facing fields exist here."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from pydantic import BaseModel, Field

from escdesk.api.schemas.escalation_actions import Versioned
from escdesk.domain.clock import Promise
from escdesk.domain.escalation import MAX_SUMMARY
from escdesk.services.status_page import CustomerStatus


class CustomerUpdateOut(BaseModel):
    posted_at: datetime
    body: str


class CustomerCriterionOut(BaseModel):
    text: str
    done: bool
    waived_reason: str | None = None  # left open at closing, with the customer's agreement


class CustomerStatusOut(BaseModel):
    company_name: str | None = Field(description="Your company, from ESCDESK_COMPANY_NAME.")
    customer: str
    reference: str = Field(examples=["ESC-12"])
    customer_summary: str | None = Field(
        description="What the escalation is about, in the customer's words; null until set. "
        "The internal summary is never here."
    )
    severity: str
    status: str
    opened_at: datetime
    eta: datetime | None
    closed_at: datetime | None
    next_update_due: datetime | None = Field(
        description="When the next update to the customer is promised, while that is still "
        "ahead; null once it is owed now (see next_update), while waiting on the customer, "
        "or once closed."
    )
    next_update: Promise = Field(
        description="`by`: promised by next_update_due; `late`: owed now, being written; "
        "`waiting_on_you`: the clock waits on the customer's answer; `none`: closed."
    )
    eta_promise: Promise = Field(
        description="`by`: the ETA is ahead; `late`: it passed while open and is being "
        "revised; `none`: no ETA, or closed."
    )
    exit_criteria: list[CustomerCriterionOut]
    updates: list[CustomerUpdateOut]

    @classmethod
    def of(cls, view: CustomerStatus, company_name: str | None = None) -> CustomerStatusOut:
        return cls.model_validate({**asdict(view), "company_name": company_name})


class CustomerSummaryIn(Versioned):
    customer_summary: str = Field(
        max_length=MAX_SUMMARY,
        description="One line the customer reads on the status page and in e-mail subjects.",
    )


class StatusPageOut(BaseModel):
    escalation_id: int
    token: str
    path: str
    url: str
