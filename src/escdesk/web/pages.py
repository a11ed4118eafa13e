"""Rendering pages: the Jinja2 environment, its filters, flash messages and redirects.

Every page gets the same frame — who is signed in, what they may do, the CSRF token their forms
post back, and the flash message of the action that brought them here.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from markdown_it import MarkdownIt
from markupsafe import Markup

from escdesk.domain import clock
from escdesk.services.lateness import of_summary
from escdesk.web.viewer import csrf_token, permissions_of

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
FLASH_COOKIE = "escdesk_flash"

# Raw HTML in user text is shown as text, never run: updates are written by many people.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")


def markdown(text: str | None) -> Markup:
    # html is off, so markdown-it has escaped every tag the author wrote.
    return Markup(_markdown.render(text or ""))


def when(moment: datetime | None, timezone: str | None = None) -> str:
    """The one way a page writes a moment: 'Mon 2 Nov 2026 17:00 Asia/Singapore', on the
    clock of `timezone`, else of the viewer of the page being rendered (`viewer_zone`)."""
    if moment is None:
        return "—"
    name = timezone or viewer_zone()
    zone = zone_of(name)
    shown = clock.utc(moment).astimezone(zone)
    return f"{shown:%a} {shown.day} {shown:%b %Y %H:%M} {'UTC' if zone is UTC else name}"


def day(moment: datetime | date | None) -> str:
    """The date part of the same format, 'Mon 2 Nov 2026': a moment's date on the viewer's
    clock (an ETA late on Monday in UTC is already Tuesday in Singapore); a date as it is."""
    if moment is None:
        return "—"
    if isinstance(moment, datetime):
        moment = clock.utc(moment).astimezone(zone_of(viewer_zone())).date()
    return f"{moment:%a} {moment.day} {moment:%b %Y}"


def iso(moment: datetime | None) -> str:
    """For `<time datetime>`: machines read UTC; people read `when`."""
    return clock.utc(moment).isoformat() if moment else ""


def relative(moment: datetime | None, now: datetime) -> str:
    """'in 3 h', '2 d ago': how far a due moment is, rounded to what matters."""
    if moment is None:
        return ""
    seconds = (clock.utc(moment) - clock.utc(now)).total_seconds()
    size = abs(seconds)
    if size < 60:
        return "now"
    if size < 3600:
        amount = f"{int(size // 60)} min"
    elif size < 2 * 86400:
        amount = f"{int(size // 3600)} h"
    else:
        amount = f"{int(size // 86400)} d"
    return f"in {amount}" if seconds > 0 else f"{amount} ago"


def due_in(moment: datetime | None, now: datetime) -> str:
    """A due moment as 'due in 3 h' or '6 h overdue'."""
    if moment is None:
        return "nothing due"
    if clock.is_overdue(moment, now):
        return relative(moment, now).replace(" ago", " overdue")
    return "due " + relative(moment, now)


def local_input(moment: datetime | None) -> str:
    """The value of a datetime-local input, on the viewer's clock as the form's label says."""
    if moment is None:
        return ""
    return clock.utc(moment).astimezone(zone_of(viewer_zone())).strftime("%Y-%m-%dT%H:%M")


def local(moment: datetime | None, timezone: str) -> str:
    """A moment on a named clock (a calendar's own zone beside the viewer's): as `when`."""
    return when(moment, timezone) if moment is not None else ""


# The zone of whoever the page is rendered for. `render` sets it around the one synchronous
# template render, so a macro imported without the page's context still writes the right zone.
_viewer: ContextVar[str] = ContextVar("viewer_zone", default="UTC")
_ZONES: dict[str, ZoneInfo] = {}


def viewer_zone() -> str:
    """The IANA zone of the page being rendered: the person's profile timezone, the account's
    on its customer status page, UTC for an API token or nobody."""
    return _viewer.get()


def zone_of(name: str) -> tzinfo:
    """A zone by name; a name no zone database knows (an old profile) is UTC, and a page
    then writes UTC, never a zone it did not use."""
    if name not in _ZONES:
        try:
            _ZONES[name] = ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            return UTC
    return _ZONES[name]


def working(left: timedelta | None) -> str:
    """Working time left: '5 h 30 min left', or '2 h late'."""
    if left is None:
        return ""
    minutes = int(abs(left.total_seconds()) // 60)
    amount = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    return f"{amount} {'left' if left.total_seconds() >= 0 else 'late'}"


def words(value: object) -> str:
    """'pending_deal' → 'pending deal'."""
    return str(value).replace("_", " ")


def counted(n: int, noun: str, nouns: str | None = None) -> str:
    """'1 event', '3 events': a count with its noun in the right number."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def money(amount: int | None) -> str:
    return f"{amount:,}" if amount is not None else "—"


# Templates ask the lateness read model, never compare moments themselves: one definition of
# "late" for the pages, the API and the CLI.
TEMPLATES.env.tests.update(overdue=clock.is_overdue, missed=clock.eta_missed)
TEMPLATES.env.globals.update(days_open=clock.days_open, lateness=of_summary)
TEMPLATES.env.filters.update(
    markdown=markdown,
    when=when,
    day=day,
    iso=iso,
    relative=relative,
    due_in=due_in,
    local_input=local_input,
    working=working,
    local=local,
    words=words,
    money=money,
    counted=counted,
)


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    now: datetime | None = None,
) -> Response:
    """Render a page with the frame every page shares; the flash message is shown once."""
    principal = getattr(request.state, "principal", None)
    frame: dict[str, Any] = {
        "principal": principal,
        "allowed": permissions_of(principal),
        "csrf_token": csrf_token(request),
        "flash": _read_flash(request),
        "now": now or datetime.now(UTC),
        "path": request.url.path,
        "viewer_tz": getattr(principal, "timezone", None) or "UTC",
    }
    frame.update(context or {})
    shown_in = _viewer.set(str(frame["viewer_tz"]))
    try:
        response = TEMPLATES.TemplateResponse(request, template, frame, status_code=status_code)
    finally:
        _viewer.reset(shown_in)
    if frame["flash"]:
        response.delete_cookie(FLASH_COOKIE, path="/")
    response.headers["Cache-Control"] = "no-store"
    return response


def redirect(url: str, *, flash: str | None = None) -> Response:
    """After a successful form: 303 to the page to show, carrying a one-time message."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(
            FLASH_COOKIE, quote(flash), max_age=60, path="/", httponly=True, samesite="lax"
        )
    return response


def _read_flash(request: Request) -> str | None:
    raw = request.cookies.get(FLASH_COOKIE)
    return unquote(raw)[:300] if raw else None


def safe_next(target: str | None, fallback: str = "/") -> str:
    """Only a path on this site: never send a signed-in user to another host (after sign-in,
    or back from a form); anything else becomes `fallback`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target
