"""The customer status page: no sign-in, only what the customer may read (R-OPS-2)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from escdesk.http.deps import NowDep, UowDep
from escdesk.services.status_page import status_view
from escdesk.web.errors import PageRoute
from escdesk.web.pages import render

router = APIRouter(route_class=PageRoute)


@router.get("/status/{token}")
def customer_status(request: Request, token: str, uow: UowDep, now: NowDep) -> Response:
    view = status_view(uow, token)
    context = {"view": view, "bare": True, "viewer_tz": view.timezone}  # the account's clock
    response = render(request, "status.html", context, now=now)
    # The link is the key: keep it out of other sites' logs and out of search engines.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
