"""Calendar feeds (R-ESC-10): each person's secret link to every standup they attend.

`POST /api/calendar-feed` gives the signed-in person their link (the same one again, unless
`rotate=true`); `GET /calendar/{token}.ics` is what a calendar app subscribes to, without
signing in — the link is the key, as for the customer status page.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response, status
from pydantic import BaseModel

from escdesk.config import Settings
from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.http.deps import NowDep, SettingsDep, UowDep, require
from escdesk.notify.smtp import sender_identity
from escdesk.services import calendar_feeds as service

router = APIRouter(prefix="/calendar-feed", tags=["calendar feed"])
public_router = APIRouter(tags=["calendar feed"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
PUBLIC_PATH = "/calendar/{token}.ics"


class CalendarFeedOut(BaseModel):
    token: str
    path: str
    url: str


def _person(principal: Principal) -> str:
    if principal.person_id is None:
        raise InvalidInput(
            "person",
            "an API token has no standups of its own",
            "Sign in as the person, or run `escdesk calendar-feed PERSON`",
        )
    return str(principal.person_id)


def _link(token: str, settings: Settings) -> CalendarFeedOut:
    path = PUBLIC_PATH.format(token=token)
    return CalendarFeedOut(token=token, path=path, url=settings.base_url.rstrip("/") + path)


@router.post("", response_model=CalendarFeedOut)
def publish(
    principal: Reader,
    uow: UowDep,
    now: NowDep,
    settings: SettingsDep,
    rotate: Annotated[bool, Query(description="Replace the link; the old one stops.")] = False,
) -> CalendarFeedOut:
    """Your calendar feed's link; subscribe to it in your calendar app."""
    cmd = service.PublishFeed(_person(principal), rotate=rotate)
    return _link(service.publish_feed_now(uow, cmd, principal, now), settings)


@router.delete("", status_code=status.HTTP_204_NO_CONTENT)
def withdraw(principal: Reader, uow: UowDep, now: NowDep) -> Response:
    """Withdraw your feed: its link answers 404 from now on."""
    if not service.withdraw_feed_now(uow, service.WithdrawFeed(_person(principal)), principal, now):
        raise NotFound("calendar feed of", principal.name)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@public_router.get(PUBLIC_PATH, response_class=Response)
def feed(
    token: Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")],
    uow: UowDep,
    settings: SettingsDep,
) -> Response:
    """Every standup the link's owner attends, as an iCalendar feed."""
    # Imported here: icalendar is the slowest import of the app, and only feeds need it, so
    # `escdesk serve` and every API test start without it.
    from escdesk.notify import calendar

    found = service.read_feed(uow, token)
    entries = []
    for record in found.standups:
        try:
            cadence = calendar.StandupCadence.from_payload(record.cadence)
        except calendar.BadCadence:
            continue  # a series written by an older escdesk; the invitation still holds it
        entries.append((cadence, record.uid, record.sequence, record.updated_at))
    organizer, domain = sender_identity(settings.mail_from, settings.base_url)
    ics = calendar.feed(entries, name=found.person.name, organizer=organizer, domain=domain)
    return Response(
        ics,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=300"},
    )
