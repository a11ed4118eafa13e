"""The unit of work is entered once at a time; entering it again while open is a bug, refused."""

from __future__ import annotations

from datetime import datetime

import pytest

from escdesk.domain.people import Person, Role
from escdesk.services import people
from escdesk.store.uow import SqlUnitOfWork
from tests import factories
from tests.factories import add_person


def test_entering_an_open_unit_of_work_again_is_refused_and_keeps_its_changes(
    uow: SqlUnitOfWork, now: datetime
) -> None:
    with uow:
        person = add_person_inside(uow)
        with pytest.raises(RuntimeError, match="already open"), uow:
            pass
        uow.commit()

    assert factories.ask(uow, people.find_person, people.FindPerson(person)).email == person


def test_a_closed_unit_of_work_may_be_entered_again(uow: SqlUnitOfWork, now: datetime) -> None:
    first = add_person(uow, "support", now=now)
    second = add_person(uow, "support", now=now)
    assert {p.email for p in factories.ask(uow, people.list_people, people.ListPeople())} == {
        first.email,
        second.email,
    }


def add_person_inside(uow: SqlUnitOfWork) -> str:
    person = Person.create("Robin Inside", "robin@example.com", frozenset({Role.SUPPORT}), "UTC")
    uow.people.add(person)
    return person.email
