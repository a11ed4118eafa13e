"""Customer accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from escdesk.api.deps import NowDep, UowDep, require
from escdesk.api.schemas.accounts import AccountDetailOut, AccountIn, AccountList, AccountOut
from escdesk.api.schemas.common import Key
from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.services import accounts as service

router = APIRouter(prefix="/accounts", tags=["accounts"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_ACCOUNTS))]


@router.get("", response_model=AccountList)
def list_accounts(_: Reader, uow: UowDep) -> AccountList:
    """All accounts, largest ARR first."""
    return AccountList(items=[AccountOut.of(a) for a in service.list_accounts(uow)])


@router.post("", response_model=AccountOut, status_code=status.HTTP_201_CREATED)
def add_account(body: AccountIn, _: Manager, uow: UowDep, now: NowDep) -> AccountOut:
    return AccountOut.of(service.add_account(uow, now=now, **body.model_dump()))


@router.get("/{key}", response_model=AccountDetailOut)
def show_account(
    key: Annotated[Key, Path(max_length=200, description="Id, name or slug.")],
    _: Reader,
    uow: UowDep,
) -> AccountDetailOut:
    try:
        detail = service.show_account(uow, key)
    except InvalidInput as exc:  # the service speaks of an argument; here it is the resource
        raise NotFound("account", key) from exc
    return AccountDetailOut.of_detail(detail)
