"""Each person's calendar feed of the standups they attend (R-ESC-10): a secret link, like the
customer status page — whoever holds it can read it, so it can be withdrawn or rotated.

Handlers run inside the unit of work they are given; the `*_now` wrappers open and commit one.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, Self

from escdesk.domain.access import Permission
from escdesk.domain.errors import NotFound
from escdesk.domain.events import Event
from escdesk.domain.people import Person
from escdesk.services.acting import Acting, At, Moment, require
from escdesk.services.ports import PeopleRepository

TOKEN_BYTES = 32  # 256 bits: not guessable, not enumerable


@dataclass(frozen=True)
class StandupRecord:
    """A standup series as last sent to its attendees (what their calendars hold)."""

    uid: str
    sequence: int
    cadence: Mapping[str, Any]
    updated_at: datetime


class FeedRepository(Protocol):
    def token_of(self, person_id: int) -> str | None: ...
    def person_of(self, token: str) -> int | None: ...
    def publish(self, person_id: int, token: str, now: datetime) -> None: ...
    def withdraw(self, person_id: int) -> bool: ...
    def standups_of(self, email: str) -> list[StandupRecord]: ...


class FeedUnitOfWork(Protocol):
    @property
    def people(self) -> PeopleRepository: ...
    @property
    def calendar_feeds(self) -> FeedRepository: ...
    def __enter__(self) -> Self: ...
    def __exit__(self, *args: object) -> None: ...
    def commit(self) -> None: ...


@dataclass(frozen=True)
class PublishFeed:
    person: str
    """E-mail or id of the person whose feed it is."""
    rotate: bool = False
    """Replace the link: the old one stops working."""


@dataclass(frozen=True)
class WithdrawFeed:
    person: str


@dataclass(frozen=True)
class StandupFeed:
    person: Person
    standups: list[StandupRecord]


def _owner(uow: FeedUnitOfWork, key: str, actor: Acting) -> Person:
    person = uow.people.find(key, "person")
    if actor.person_id != person.id:  # one's own feed, or a manager of people
        require(actor, Permission.MANAGE_PEOPLE)
    return person


def publish_feed(uow: FeedUnitOfWork, cmd: PublishFeed, actor: Acting, ctx: Moment) -> str:
    """The feed's token; asking again returns the same link unless `rotate`."""
    person = _owner(uow, cmd.person, actor)
    assert person.id is not None
    existing = uow.calendar_feeds.token_of(person.id)
    if existing is not None and not cmd.rotate:
        return existing
    if existing is not None:
        uow.calendar_feeds.withdraw(person.id)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    uow.calendar_feeds.publish(person.id, token, ctx.now)
    event = "calendar_feed_rotated" if existing else "calendar_feed_published"
    uow.people.record(person, Event(event, ctx.now, actor.person_id))
    return token


def withdraw_feed(uow: FeedUnitOfWork, cmd: WithdrawFeed, actor: Acting, ctx: Moment) -> bool:
    person = _owner(uow, cmd.person, actor)
    assert person.id is not None
    if not uow.calendar_feeds.withdraw(person.id):
        return False
    uow.people.record(person, Event("calendar_feed_withdrawn", ctx.now, actor.person_id))
    return True


def feed_for_token(uow: FeedUnitOfWork, token: str) -> StandupFeed:
    """The standups behind a link; an unknown or withdrawn link is simply not found."""
    person_id = uow.calendar_feeds.person_of(token) if token else None
    if person_id is None:
        raise NotFound("calendar feed", "for this link")
    person = uow.people.get(person_id)
    return StandupFeed(person, uow.calendar_feeds.standups_of(person.email))


def publish_feed_now(uow: FeedUnitOfWork, cmd: PublishFeed, actor: Acting, now: datetime) -> str:
    with uow:
        token = publish_feed(uow, cmd, actor, At(now))
        uow.commit()
    return token


def withdraw_feed_now(uow: FeedUnitOfWork, cmd: WithdrawFeed, actor: Acting, now: datetime) -> bool:
    with uow:
        withdrawn = withdraw_feed(uow, cmd, actor, At(now))
        uow.commit()
    return withdrawn


def read_feed(uow: FeedUnitOfWork, token: str) -> StandupFeed:
    with uow:
        return feed_for_token(uow, token)
