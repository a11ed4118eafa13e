"""API tokens for machines: created (secret shown once), listed, revoked."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, status

from escdesk.api.schemas.common import MAX_ID
from escdesk.api.schemas.tokens import TokenCreatedOut, TokenIn, TokenList, TokenOut
from escdesk.domain.access import Permission, Principal
from escdesk.http.deps import NowDep, UowDep, require
from escdesk.services import auth

router = APIRouter(prefix="/tokens", tags=["tokens"])

Manager = Annotated[Principal, Depends(require(Permission.MANAGE_TOKENS))]


@router.get("", response_model=TokenList)
def list_tokens(_: Manager, uow: UowDep) -> TokenList:
    return TokenList(items=[TokenOut.of(t) for t in auth.list_tokens(uow)])


@router.post("", response_model=TokenCreatedOut, status_code=status.HTTP_201_CREATED)
def create_token(body: TokenIn, _: Manager, uow: UowDep, now: NowDep) -> TokenCreatedOut:
    plaintext, info = auth.create_token(uow, body.name, body.role, now)
    return TokenCreatedOut(token=plaintext, info=TokenOut.of(info))


@router.delete("/{token_id}", response_model=TokenOut)
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=MAX_ID)], _: Manager, uow: UowDep, now: NowDep
) -> TokenOut:
    return TokenOut.of(auth.revoke_token(uow, token_id, now))
