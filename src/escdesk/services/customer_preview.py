"""What a customer-facing update will look like before it is posted (R-OPS-2).

A customer-facing update cannot be taken back once e-mailed, so the pages show it first as the
customer will read it: the status-page entry and each contact's e-mail. This query gathers what
that rendering needs and checks the text as posting would, so a preview of text that would be
refused is refused the same way; it changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain.access import Actor, Permission
from escdesk.domain.accounts import CustomerContact
from escdesk.domain.errors import StateRefused
from escdesk.domain.escalation import MAX_TEXT
from escdesk.domain.people import check_text
from escdesk.domain.records import Status
from escdesk.services.calendars import book
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context
from escdesk.services.status_page import CustomerUpdate


@dataclass(frozen=True)
class PreviewCustomerUpdate:
    escalation_id: int
    body: str


@dataclass(frozen=True)
class CustomerUpdatePreview:
    """The update as the customer will see it, and everything its e-mails are built from."""

    escalation_id: int
    reference: str
    customer: str
    customer_summary: str | None
    entry: CustomerUpdate
    author: str
    contacts: list[CustomerContact]
    timezone: str = "UTC"
    """The account's clock, which the status page writes its times on."""


def preview_customer_update(
    uow: UnitOfWork, query: PreviewCustomerUpdate, actor: Actor, ctx: Context
) -> CustomerUpdatePreview:
    esc = uow.escalations.get(query.escalation_id)
    actor.require(Permission.POST_UPDATE, esc.owners_with_powers)
    if esc.status is Status.CLOSED:
        raise StateRefused(
            "the escalation is closed, so you cannot post an update; reopen it first"
        )
    body = check_text(query.body, "body", max_length=MAX_TEXT)
    author = uow.people.get(actor.person_id).name if actor.person_id is not None else ""
    return CustomerUpdatePreview(
        escalation_id=query.escalation_id,
        reference=esc.reference,
        customer=esc.customer,
        customer_summary=esc.customer_summary,
        entry=CustomerUpdate(ctx.now, body),
        author=author,
        contacts=uow.contacts.of_account(esc.account_id),
        timezone=book(uow).for_account(esc.account_id).timezone,
    )
