"""Shapes of customer contacts."""

from __future__ import annotations

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import EMAIL, ApiModel, SafeStr
from escdesk.domain.accounts import CustomerContact


class ContactIn(ApiModel):
    name: SafeStr = Field(max_length=200, examples=["Jo Chen"])
    email: SafeStr = Field(max_length=320, json_schema_extra=EMAIL, examples=["jo@acme.example"])
    language: SafeStr = Field(
        default="en", max_length=35, description="BCP 47 tag of the updates' language."
    )


class ContactOut(BaseModel):
    id: int | None
    account_id: int
    name: str
    email: str
    language: str

    @classmethod
    def of(cls, contact: CustomerContact) -> ContactOut:
        return cls(
            id=contact.id,
            account_id=contact.account_id,
            name=contact.name,
            email=contact.email,
            language=contact.language,
        )


class ContactList(BaseModel):
    items: list[ContactOut]
