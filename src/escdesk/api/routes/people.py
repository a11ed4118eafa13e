"""People and their roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from escdesk.api.schemas.people import PersonIn, PersonList, PersonOut
from escdesk.domain.access import Permission, Principal
from escdesk.domain.people import Role
from escdesk.http.deps import RunnerDep, require
from escdesk.services import people as service

router = APIRouter(prefix="/people", tags=["people"])


@router.get("", response_model=PersonList)
def list_people(
    who: Annotated[Principal, Depends(require(Permission.READ))],
    run: RunnerDep,
    role: Annotated[Role | None, Query(description="Only this role.")] = None,
) -> PersonList:
    people = run.read(service.list_people, service.ListPeople(role), who.actor)
    return PersonList(items=[PersonOut.of(p) for p in people])


@router.post("", response_model=PersonOut, status_code=status.HTTP_201_CREATED)
def add_person(
    body: PersonIn,
    who: Annotated[Principal, Depends(require(Permission.MANAGE_PEOPLE))],
    run: RunnerDep,
) -> PersonOut:
    cmd = service.AddPerson.parse(**body.model_dump())
    return PersonOut.of(run.run(service.add_person, cmd, who.actor))
