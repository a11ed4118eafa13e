"""The dashboard: what a support lead opens every morning."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from escdesk.http.deps import NowDep, UowDep
from escdesk.services.desk import dashboard
from escdesk.services.role_dashboard import role_panels
from escdesk.web.errors import PageRoute
from escdesk.web.pages import render
from escdesk.web.viewer import Reader

router = APIRouter(route_class=PageRoute)


@router.get("/")
def home(request: Request, principal: Reader, uow: UowDep, now: NowDep) -> Response:
    """Open escalations by severity, what is late, accounts at risk, and my escalations."""
    board = dashboard(uow, now=now, person_id=principal.person_id)
    panels = role_panels(uow, now=now, person_id=principal.person_id, roles=principal.roles)
    return render(request, "dashboard.html", {"dash": board, "panels": panels}, now=now)
