"""Customer accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from escdesk.api.schemas.accounts import AccountDetailOut, AccountIn, AccountList, AccountOut
from escdesk.api.schemas.common import Key
from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.http.deps import RunnerDep, require
from escdesk.services import accounts as service

router = APIRouter(prefix="/accounts", tags=["accounts"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_ACCOUNTS))]


@router.get("", response_model=AccountList)
def list_accounts(who: Reader, run: RunnerDep) -> AccountList:
    """All accounts, largest ARR first."""
    accounts = run.read(service.list_accounts, None, who.actor)
    return AccountList(items=[AccountOut.of(a) for a in accounts])


@router.post("", response_model=AccountOut, status_code=status.HTTP_201_CREATED)
def add_account(body: AccountIn, who: Manager, run: RunnerDep) -> AccountOut:
    cmd = service.AddAccount.parse(**body.model_dump())
    return AccountOut.of(run.run(service.add_account, cmd, who.actor))


@router.get("/{key}", response_model=AccountDetailOut)
def show_account(
    key: Annotated[Key, Path(max_length=200, description="Id, name or slug.")],
    who: Reader,
    run: RunnerDep,
) -> AccountDetailOut:
    try:
        detail = run.read(service.show_account, service.ShowAccount(key), who.actor)
    except InvalidInput as exc:  # the service speaks of an argument; here it is the resource
        raise NotFound("account", key) from exc
    return AccountDetailOut.of_detail(detail)
