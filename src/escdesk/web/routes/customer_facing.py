"""The step before a customer-facing update is posted from the pages (R-OPS-2).

A customer-facing update is shown first as the customer will read it — the status-page entry
and each contact's e-mail, rendered by the code that renders them for the customer — and posted
only once confirmed; an internal update needs no such step.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import Request
from fastapi.responses import Response

from escdesk.config import Settings
from escdesk.domain.access import Principal
from escdesk.notify import mail_text
from escdesk.services.customer_preview import PreviewCustomerUpdate, preview_customer_update
from escdesk.services.runner import Runner
from escdesk.store.uow import SqlUnitOfWork
from escdesk.web.errors import FormError
from escdesk.web.pages import render
from escdesk.web.routes.escalations import escalation_page
from escdesk.web.routes.status import company_of

CONFIRM, EDIT = "confirm", "edit"
"""The `step` of a customer-facing update's form: posted as previewed, or back to its text."""


def preview_update(
    request: Request,
    run: Runner,
    principal: Principal,
    escalation_id: int,
    body: str,
    version: int | None,
    settings: Settings,
    now: datetime,
) -> Response:
    """The update as the customer will read it, with the buttons to post it or change it."""
    query = PreviewCustomerUpdate(escalation_id, body)
    preview = run.read(preview_customer_update, query, principal.actor)
    context = {
        "p": preview,
        "mails": mail_text.previews(preview, settings.company_name),
        "version": version,
        "company": company_of(settings),
    }
    return render(request, "escalations/preview.html", context, now=now)


def edit_again(
    request: Request,
    uow: SqlUnitOfWork,
    principal: Principal,
    escalation_id: int,
    body: str,
    settings: Settings,
    now: datetime,
) -> Response:
    """Back to the escalation's page with the text kept in the form; nothing was posted."""
    kept = FormError(
        "update",
        200,
        "Not posted. Change the text, then preview it again.",
        values={"audience": "customer", "body": body},
    )
    return escalation_page(
        request,
        uow,
        escalation_id,
        principal=principal,
        now=now,
        policy=settings.severity_policy(),
        failed=kept,
    )
