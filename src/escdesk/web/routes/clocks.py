"""The clocks page (R-SLA-1, R-SLA-3): the working calendars the clocks run in, and breaches."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import RunnerDep
from escdesk.services import breaches, calendars
from escdesk.web.errors import PageRoute
from escdesk.web.pages import render
from escdesk.web.viewer import allowed_to

router = APIRouter(route_class=PageRoute)
Reader = Annotated[Principal, Depends(allowed_to(Permission.READ))]


@router.get("/clocks")
def clocks_page(request: Request, principal: Reader, run: RunnerDep) -> Response:
    context = {
        "calendars": run.read(calendars.list_calendars, None, principal.actor),
        "report": run.read(breaches.list_breaches, breaches.ListBreaches(), principal.actor),
    }
    return render(request, "clocks.html", context)
