"""People: add and list the people escalations are assigned to, and who acts."""

from __future__ import annotations

from dataclasses import dataclass

from escdesk.domain.access import Actor, Permission, Via
from escdesk.domain.events import Event
from escdesk.domain.people import Person, Role, parse_roles
from escdesk.services.listing import MAX_LIMIT, Order, Page, check_order, check_window
from escdesk.services.ports import UnitOfWork
from escdesk.services.runner import Context, Runner


@dataclass(frozen=True)
class AddPerson:
    name: str
    email: str
    roles: frozenset[Role]
    timezone: str = "UTC"

    @classmethod
    def parse(cls, *, name: str, email: str, roles: list[str], timezone: str) -> AddPerson:
        return cls(name, email, parse_roles(roles), timezone)


PEOPLE_ORDERS = ("name", "email", "timezone")
"""What the people list sorts by; without an order, by name."""


@dataclass(frozen=True)
class ListPeople:
    role: Role | None = None
    order: Order | None = None
    limit: int = MAX_LIMIT
    offset: int = 0


@dataclass(frozen=True)
class FindPerson:
    key: str
    field: str = "person"


def add_person(uow: UnitOfWork, cmd: AddPerson, actor: Actor, ctx: Context) -> Person:
    actor.require(Permission.MANAGE_PEOPLE)
    person = Person.create(cmd.name, cmd.email, cmd.roles, cmd.timezone)
    uow.people.add(person)
    uow.people.record(
        person,
        Event(
            "person_added",
            ctx.now,
            actor.person_id,
            {"name": person.name, "email": person.email, "roles": sorted(person.roles)},
        ),
    )
    return person


def list_people(uow: UnitOfWork, query: ListPeople, actor: Actor, ctx: Context) -> list[Person]:
    actor.require(Permission.READ)
    return uow.people.list(query.role)


def people_page(uow: UnitOfWork, query: ListPeople, actor: Actor, ctx: Context) -> Page[Person]:
    """One page of people (of a role), sorted and cut by the database."""
    actor.require(Permission.READ)
    check_window(query.limit, query.offset)
    check_order(query.order, PEOPLE_ORDERS)
    role = query.role.value if query.role else None
    items, total = uow.people.page(role, query.order, query.limit, query.offset)
    return Page(items, total, query.limit, query.offset)


def find_person(uow: UnitOfWork, query: FindPerson, actor: Actor, ctx: Context) -> Person:
    actor.require(Permission.READ)
    return uow.people.find(query.key, query.field)


def actor_named(uow: UnitOfWork, query: FindPerson, actor: Actor, ctx: Context) -> Actor:
    """The person named on the command line (or in ESCDESK_ACTOR), as the actor of a change."""
    person = uow.people.find(query.key, query.field)
    return Actor(person.id, person.name, person.roles, Via.SESSION)


def acting_as(runner: Runner, key: str, field: str = "person") -> Actor:
    """The actor for a person named by e-mail or id, looked up by escdesk itself: how the CLI,
    the demo and scripts name who makes a change."""
    return runner.read(actor_named, FindPerson(key, field), Actor.system())
