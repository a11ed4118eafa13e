"""Shapes of signing in and of "who am I"."""

from __future__ import annotations

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import EMAIL, ApiModel
from escdesk.domain.access import Principal


class SignInIn(ApiModel):
    email: str = Field(max_length=320, examples=["priya@example.com"], json_schema_extra=EMAIL)
    password: str = Field(max_length=1024)


class PrincipalOut(BaseModel):
    person_id: int | None
    name: str
    roles: list[str]
    via: str
    permissions: list[str]

    @classmethod
    def of(cls, principal: Principal) -> PrincipalOut:
        return cls(
            person_id=principal.person_id,
            name=principal.name,
            roles=sorted(principal.roles),
            via=principal.via,
            permissions=sorted(principal.permissions),
        )


class SignedInOut(BaseModel):
    csrf_token: str = Field(description="Send as the X-CSRF-Token header on every change.")
    principal: PrincipalOut
    paused_after_wrong_passwords: int = Field(
        default=0,
        description="Wrong passwords that paused this account's sign-in since it last signed "
        "in (0: none); tell the person, who may not have made them.",
    )
