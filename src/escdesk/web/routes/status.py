"""The customer status page: no sign-in, only what the customer may read (R-OPS-2)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from escdesk.config import Settings
from escdesk.http.deps import NowDep, SettingsDep, UowDep
from escdesk.services.status_page import status_view
from escdesk.web.errors import PageRoute
from escdesk.web.pages import render

router = APIRouter(route_class=PageRoute)


def company_of(settings: Settings) -> dict[str, Any]:
    """The company the customer deals with, from the settings: its name and logo, not ours."""
    return {"name": settings.company_name, "logo_url": settings.company_logo_url}


@router.get("/status/{token}")
def customer_status(
    request: Request, token: str, uow: UowDep, now: NowDep, settings: SettingsDep
) -> Response:
    view = status_view(uow, token, now)
    context = {
        "view": view,
        "bare": True,
        "viewer_tz": view.timezone,  # the account's clock
        "company": company_of(settings),
    }
    response = render(request, "status.html", context, now=now)
    # The link is the key: keep it out of other sites' logs and out of search engines.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
