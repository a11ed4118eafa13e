"""People and their roles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from escdesk.api.deps import NowDep, UowDep, require
from escdesk.api.schemas.people import PersonIn, PersonList, PersonOut
from escdesk.domain.access import Permission, Principal
from escdesk.domain.people import Role
from escdesk.services import people as service

router = APIRouter(prefix="/people", tags=["people"])


@router.get("", response_model=PersonList)
def list_people(
    _: Annotated[Principal, Depends(require(Permission.READ))],
    uow: UowDep,
    role: Annotated[Role | None, Query(description="Only this role.")] = None,
) -> PersonList:
    return PersonList(items=[PersonOut.of(p) for p in service.list_people(uow, role)])


@router.post("", response_model=PersonOut, status_code=status.HTTP_201_CREATED)
def add_person(
    body: PersonIn,
    _: Annotated[Principal, Depends(require(Permission.MANAGE_PEOPLE))],
    uow: UowDep,
    now: NowDep,
) -> PersonOut:
    return PersonOut.of(service.add_person(uow, now=now, **body.model_dump()))
