"""The outbox page (R-OPS-3): what waits for delivery, what failed and why, and a retry."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.domain.messages import DeliveryState
from escdesk.http.deps import RunnerDep
from escdesk.http.ids import IdPath
from escdesk.services import outbox as service
from escdesk.services.runner import Runner
from escdesk.web.errors import FormError, PageRoute, on_error_show
from escdesk.web.forms import FormDep
from escdesk.web.listing import first_page, listing
from escdesk.web.pages import redirect, render, safe_next
from escdesk.web.viewer import allowed_to

router = APIRouter(route_class=PageRoute)
Keeper = Annotated[Principal, Depends(allowed_to(Permission.MANAGE_DELIVERY))]


def _outbox_page(
    request: Request, run: Runner, principal: Principal, state: str, failed: FormError | None
) -> Response:
    asked = first_page(request) if failed else listing(request, service.OUTBOX_ORDERS)
    query = service.ListOutbox.parse(
        state=state or None, limit=asked.size, offset=asked.offset, order=asked.order
    )
    summary = run.read(service.list_outbox, query, principal.actor)
    context = {"summary": summary, "state": state, "states": list(DeliveryState)}
    context.update(listing=asked, failed=failed)
    return render(request, "outbox.html", context, status_code=failed.status if failed else 200)


@router.get("/outbox")
def outbox_page(request: Request, principal: Keeper, run: RunnerDep, state: str = "") -> Response:
    on_error_show(request, "filters", lambda r, failed: _outbox_page(r, run, principal, "", failed))
    return _outbox_page(request, run, principal, state, None)


@router.post("/outbox/{message_id}/retry")
def retry(
    request: Request, message_id: IdPath, principal: Keeper, form: FormDep, run: RunnerDep
) -> Response:
    item = run.run(service.retry_message, service.RetryMessage(message_id), principal.actor)
    back = safe_next(form.optional("back"), fallback="/outbox")
    return redirect(back, flash=f"The message to {item.destination} is queued again.")
