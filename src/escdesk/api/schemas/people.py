"""Shapes of people."""

from __future__ import annotations

from pydantic import BaseModel, Field

from escdesk.api.schemas.common import EMAIL, ApiModel
from escdesk.domain.people import Person, Role


class PersonIn(ApiModel):
    name: str = Field(max_length=200, examples=["Priya Raman"])
    email: str = Field(max_length=320, examples=["priya@example.com"], json_schema_extra=EMAIL)
    roles: list[Role] = Field(min_length=1, max_length=20, examples=[["support"]])
    timezone: str = Field(default="UTC", max_length=64, examples=["Europe/Berlin"])


class PersonOut(BaseModel):
    id: int
    name: str
    email: str
    roles: list[str]
    timezone: str

    @classmethod
    def of(cls, person: Person) -> PersonOut:
        assert person.id is not None
        return cls(
            id=person.id,
            name=person.name,
            email=person.email,
            roles=sorted(person.roles),
            timezone=person.timezone,
        )


class PersonList(BaseModel):
    items: list[PersonOut]
