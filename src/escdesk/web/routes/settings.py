"""Settings: the severity policy in force (R-ESC-1) and who the signed-in person is."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.engine import make_url

from escdesk.domain.access import ROLE_PERMISSIONS, Permission
from escdesk.domain.severity import Severity, format_duration
from escdesk.http.deps import SettingsDep
from escdesk.web.errors import PageRoute
from escdesk.web.pages import render
from escdesk.web.viewer import Reader

router = APIRouter(route_class=PageRoute)


@router.get("/settings")
def settings_page(request: Request, principal: Reader, settings: SettingsDep) -> Response:
    policy = settings.severity_policy()
    levels = [policy[s] for s in sorted(Severity, key=lambda s: -s.rank)]
    context = {
        "levels": levels,
        "duration": format_duration,
        # The URL may hold a password: show the kind of store only.
        "backend": make_url(settings.database_url).get_backend_name(),
        "base_url": settings.base_url,
        "roles": ROLE_PERMISSIONS,
        "all_permissions": list(Permission),
    }
    return render(request, "settings.html", context)
