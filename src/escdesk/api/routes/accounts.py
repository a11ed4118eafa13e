"""Customer accounts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from escdesk.api.schemas.accounts import (
    AccountDetailOut,
    AccountEditIn,
    AccountIn,
    AccountList,
    AccountOut,
)
from escdesk.api.schemas.common import Key
from escdesk.domain.access import Permission, Principal
from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.http.deps import RunnerDep, require
from escdesk.services import accounts as service

router = APIRouter(prefix="/accounts", tags=["accounts"])

Reader = Annotated[Principal, Depends(require(Permission.READ))]
Manager = Annotated[Principal, Depends(require(Permission.MANAGE_ACCOUNTS))]
Editor = Annotated[Principal, Depends(require(Permission.EDIT_ACCOUNT))]


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


@router.patch("/{key}", response_model=AccountOut)
def edit_account(
    key: Annotated[Key, Path(max_length=200, description="Id, name or slug.")],
    body: AccountEditIn,
    who: Editor,
    run: RunnerDep,
) -> AccountOut:
    """Change what is given: its CSM may (save handing it on); CSM leaders and managers may."""
    cmd = service.EditAccount(key=key, **body.model_dump())
    try:
        return AccountOut.of(run.run(service.edit_account, cmd, who.actor))
    except InvalidInput as exc:
        if exc.field == "account" and exc.problem.startswith("no account"):
            raise NotFound("account", key) from exc
        raise
