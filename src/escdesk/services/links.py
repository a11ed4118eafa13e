"""Engineering-link use cases: link tracker work to an escalation, a request or a recurring
issue, list and remove links, and sync their state with the trackers ("closing the loop").

The sync reads the open links in one short transaction, asks each tracker outside any
transaction (a slow tracker never holds the database), then records what changed — and the
notices to everyone waiting — in one more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from escdesk.domain.access import Actor, Permission
from escdesk.domain.engineering_links import (
    EngineeringLink,
    LinkState,
    ParsedLink,
    parse_link,
)
from escdesk.domain.events import Event
from escdesk.services import subjects
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context

P = Permission


class TrackerStatus(Protocol):
    def status(self, link: ParsedLink) -> tuple[LinkState, str] | None: ...


@dataclass(frozen=True)
class AddLink:
    subject_type: str
    subject_id: int
    url: str


@dataclass(frozen=True)
class RemoveLink:
    link_id: int


@dataclass(frozen=True)
class ListLinks:
    subject_type: str
    subject_id: int


def add_link(uow: UnitOfWork, cmd: AddLink, actor: Actor, ctx: Context) -> EngineeringLink:
    """Parsed and validated; the tracker and key are shown from then on."""
    subjects.require_may_link(uow, actor, cmd.subject_type, cmd.subject_id)
    link = EngineeringLink(
        cmd.subject_type, cmd.subject_id, parse_link(cmd.url), ctx.now, actor.person_id
    )
    link.pending_events.append(
        Event("link_added", ctx.now, actor.person_id, {"url": link.parsed.url})
    )
    uow.links.add(link)
    return link


def remove_link(uow: UnitOfWork, cmd: RemoveLink, actor: Actor, ctx: Context) -> EngineeringLink:
    link = uow.links.get(cmd.link_id)
    subjects.require_may_link(uow, actor, link.subject_type, link.subject_id)
    return uow.links.remove(cmd.link_id)


def list_links(
    uow: UnitOfWork, query: ListLinks, actor: Actor, ctx: Context
) -> list[EngineeringLink]:
    actor.require(P.READ)
    subjects.check_type(query.subject_type)
    return uow.links.of(query.subject_type, query.subject_id)


def sync_links(
    uow_factory: Callable[[], UnitOfWork], trackers: TrackerStatus, now: datetime
) -> int:
    """Ask the trackers about every link not closed yet; how many changed state."""
    with uow_factory() as uow:
        links = uow.links.not_closed()
    seen = [(link, trackers.status(link.parsed)) for link in links]
    changed = 0
    with uow_factory() as uow:
        for link, answer in seen:
            if answer is None:
                continue
            state, remote = answer
            told = subjects.waiting(uow, [(link.subject_type, link.subject_id)])
            waiting, channels = told.addresses(uow), sorted(told.channels)
            if link.observe(state, remote, waiting=waiting, channels=channels, now=now):
                uow.links.save(link)
                changed += 1
            else:
                uow.links.touch(link)
        uow.commit()
    return changed


def sync_follow_ups(
    uow_factory: Callable[[], UnitOfWork], trackers: TrackerStatus, now: datetime
) -> int:
    """R-RCA-2: a follow-up mirrored in a tracker issue is done when that issue closes; how
    many were marked done. The trackers are asked outside any transaction."""
    with uow_factory() as uow:
        tracked = []
        for retro_id in uow.retrospectives.with_tracked_follow_ups():
            retro = uow.retrospectives.get(retro_id)
            for number, item in enumerate(retro.follow_ups, start=1):
                if item.tracker_url and not item.done:
                    tracked.append((retro_id, number, parse_link(item.tracker_url)))
    closed = [
        (retro_id, number)
        for retro_id, number, link in tracked
        if (trackers.status(link) or (LinkState.UNKNOWN, ""))[0] is LinkState.CLOSED
    ]
    with uow_factory() as uow:
        for retro_id, number in closed:
            retro = uow.retrospectives.get(retro_id)
            if not retro.follow_ups[number - 1].done:
                retro.mark_follow_up(number, True, by_id=None, now=now)
        uow.commit()
    return len(closed)
