"""Customer contacts of an account: who receives customer-facing updates by e-mail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response, status

from escdesk.api.schemas.common import Key
from escdesk.api.schemas.contacts import ContactIn, ContactList, ContactOut
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import NowDep, UowDep, require
from escdesk.services import contacts as service

router = APIRouter(prefix="/accounts/{key}/contacts", tags=["accounts"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_ACCOUNTS))]
AccountKey = Annotated[Key, Path(max_length=200, description="Account id, name or slug.")]


@router.get("", response_model=ContactList)
def list_contacts(key: AccountKey, principal: Reader, uow: UowDep, now: NowDep) -> ContactList:
    found = service.list_contacts_now(uow, service.ListContacts(key), principal, now)
    return ContactList(items=[ContactOut.of(c) for c in found])


@router.post("", response_model=ContactOut, status_code=status.HTTP_201_CREATED)
def add_contact(
    key: AccountKey, body: ContactIn, principal: Manager, uow: UowDep, now: NowDep
) -> ContactOut:
    cmd = service.AddContact(key, body.name, body.email, body.language)
    return ContactOut.of(service.add_contact_now(uow, cmd, principal, now))


@router.delete("/{email}", status_code=status.HTTP_204_NO_CONTENT)
def remove_contact(
    key: AccountKey,
    email: Annotated[str, Path(max_length=320)],
    principal: Manager,
    uow: UowDep,
    now: NowDep,
) -> Response:
    service.remove_contact_now(uow, service.RemoveContact(key, email), principal, now)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
