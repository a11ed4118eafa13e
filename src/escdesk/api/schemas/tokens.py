"""Shapes of API tokens: the secret appears in exactly one response, the creation."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import ApiModel
from escdesk.domain.access import TokenInfo
from escdesk.domain.people import Role


class TokenIn(ApiModel):
    name: str = Field(max_length=100, examples=["helpdesk sync"])
    role: Role = Field(examples=["support"], description="The role the token acts with.")


class TokenOut(BaseModel):
    id: int
    name: str
    role: str
    hint: str = Field(description="The first characters of the token, to recognise it by.")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool

    @classmethod
    def of(cls, info: TokenInfo) -> TokenOut:
        return cls(
            id=info.id,
            name=info.name,
            role=info.role.value,
            hint=info.hint,
            created_at=info.created_at,
            last_used_at=info.last_used_at,
            revoked_at=info.revoked_at,
            active=info.active,
        )


class TokenCreatedOut(BaseModel):
    token: str = Field(description="Shown once: store it now, escdesk keeps only a digest.")
    info: TokenOut


class TokenList(BaseModel):
    items: list[TokenOut]
