"""What engineering links and support-written fixes attach to — an escalation, an escalation
request, a recurring issue — and who waits on each ("closing the loop").

One place answers, for links and fixes alike: does the subject exist, may this actor attach
work to it, and who is told when the work closes or ships. A request's requester waits on it;
so does everyone waiting on the escalation the triage meeting turned it into. An escalation's
requester (whoever opened it, and whoever filed the request it came from) and DRI wait, and its
channel is told; a recurring issue's waiting are those of every escalation linked to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from escdesk.domain.access import Actor, Permission
from escdesk.domain.errors import InvalidInput
from escdesk.services.ports import UnitOfWork

P = Permission
SUBJECTS = ("escalation", "request", "recurring_issue")


def check_type(subject_type: str) -> None:
    if subject_type not in SUBJECTS:
        raise InvalidInput(
            "subject",
            f"{subject_type!r} cannot hold engineering work",
            "Name an escalation, a request or a recurring issue",
        )


def require_may_link(uow: UnitOfWork, actor: Actor, subject_type: str, subject_id: int) -> None:
    """Who may change the subject may link work to it: an escalation's owners and those who
    post updates, the requester of their own request, those who keep recurring issues."""
    check_type(subject_type)
    if subject_type == "escalation":
        actor.require(P.POST_UPDATE, uow.escalations.get(subject_id).owners_with_powers)
    elif subject_type == "request":
        request = uow.requests.get(subject_id)
        if actor.person_id is not None and actor.person_id == request.requester_id:
            actor.require(P.FILE_REQUEST)
        else:
            actor.require(P.POST_UPDATE)
    else:
        uow.recurring.get(subject_id)
        actor.require(P.MANAGE_RECURRING)


def require_exists(uow: UnitOfWork, subject_type: str, subject_id: int) -> None:
    """A clear NotFound for a subject named by a wrong id."""
    check_type(subject_type)
    if subject_type == "escalation":
        uow.escalations.get(subject_id)
    elif subject_type == "request":
        uow.requests.get(subject_id)
    else:
        uow.recurring.get(subject_id)


@dataclass
class Waiting:
    """Everyone waiting on some work: people (by id) and Slack channels."""

    people: set[int] = field(default_factory=set)
    channels: set[str] = field(default_factory=set)

    def addresses(self, uow: UnitOfWork) -> list[str]:
        return sorted(p.email for p in uow.people.get_many(self.people).values())


def waiting(uow: UnitOfWork, subjects: Iterable[tuple[str, int]]) -> Waiting:
    """Who waits on work attached to `subjects`, each counted once."""
    found = Waiting()
    escalations: set[int] = set()
    for subject_type, subject_id in subjects:
        if subject_type == "escalation":
            escalations.add(subject_id)
        elif subject_type == "request":
            request = uow.requests.get(subject_id)
            if request.requester_id is not None:
                found.people.add(request.requester_id)
            if request.decision is not None and request.decision.escalation_id is not None:
                escalations.add(request.decision.escalation_id)
        elif subject_type == "recurring_issue":
            escalations |= set(uow.recurring.get(subject_id).escalation_ids)
    for esc_id in sorted(escalations):
        esc = uow.escalations.get(esc_id)
        found.channels.add(esc.channel)
        found.people |= {i for i in (esc.dri_id, requester_of(uow, esc_id)) if i is not None}
        found.people |= set(uow.requests.requesters_of(esc_id))
    return found


def requester_of(uow: UnitOfWork, escalation_id: int) -> int | None:
    """Who asked for the escalation: the person who opened it, as the trail records."""
    opened = next((e for e in uow.escalations.events(escalation_id) if e.type == "opened"), None)
    return opened.actor_id if opened else None


def first_reported(uow: UnitOfWork, subject_type: str, subject_id: int) -> list[datetime]:
    """R-FIX-3: when the subject was first reported — a request's filing, an escalation's
    opening, a recurring issue's first ticket — from which the lead time runs."""
    if subject_type == "request":
        return [uow.requests.get(subject_id).filed_at]
    if subject_type == "escalation":
        return [uow.escalations.get(subject_id).opened_at]
    issue = uow.recurring.get(subject_id)
    return [issue.created_at, *uow.recurring.created_times(subject_id)]
