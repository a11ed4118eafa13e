"""People: add and list the people escalations are assigned to."""

from __future__ import annotations

from datetime import datetime

from escdesk.domain.events import Event
from escdesk.domain.people import Person, parse_roles
from escdesk.services.ports import UnitOfWork


def add_person(
    uow: UnitOfWork, *, name: str, email: str, roles: list[str], timezone: str, now: datetime
) -> Person:
    person = Person.create(name, email, parse_roles(roles), timezone)
    with uow:
        uow.people.add(person)
        uow.people.record(
            person,
            Event(
                "person_added",
                now,
                None,
                {"name": person.name, "email": person.email, "roles": sorted(person.roles)},
            ),
        )
        uow.commit()
    return person


def list_people(uow: UnitOfWork, role: str | None = None) -> list[Person]:
    if role is not None:
        role = next(iter(parse_roles([role], field="role")))
    with uow:
        return uow.people.list(role)


def find_person(uow: UnitOfWork, key: str, field: str = "person") -> Person:
    with uow:
        return uow.people.find(key, field)
