"""Field types every schema shares: text a database can store, keys, moments.

Checked at the edge so that nothing a client sends can reach the store as something it would
choke on (a NUL character, an unpaired surrogate, an id beyond a 32-bit column): each is a 422
naming the field, never a 500.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Query
from pydantic import AfterValidator, BaseModel, field_validator
from pydantic.config import JsonDict

from escdesk.domain import values
from escdesk.domain.clock import utc
from escdesk.domain.limits import MAX_ID as MAX_ID  # the API's bound on ids

EMAIL: JsonDict = {"format": "email"}
"""Documents e-mail fields as such (the domain checks them, naming the field)."""


def clean_text(value: Any) -> Any:
    """Refuse text no store accepts; lists and objects are checked element by element."""
    if isinstance(value, str):
        problem = values.storable_problem(value)
        if problem is not None:
            raise ValueError(f"{problem}; remove it")
    elif isinstance(value, list | tuple):
        for item in value:
            clean_text(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            clean_text(key)
            clean_text(item)
    return value


def check_key(value: str) -> str:
    """A person or account named by id must name an id that can exist."""
    clean_text(value)
    digits = value.strip().upper().removeprefix("ESC-")
    if digits.isdigit() and (problem := values.id_problem(digits)) is not None:
        raise ValueError(problem)
    return value


SafeStr = Annotated[str, AfterValidator(clean_text)]
Key = Annotated[str, AfterValidator(check_key)]


def to_utc(value: datetime) -> datetime:
    try:
        return utc(value)
    except OverflowError:
        raise ValueError("is out of range once converted to UTC") from None


Moment = Annotated[datetime, AfterValidator(to_utc)]

Sort = Annotated[
    SafeStr | None,
    Query(
        max_length=40,
        description="A column to sort by, `-column` for descending (e.g. `-opened`); an "
        "unknown column is a 422 naming those the list offers. Ties go by id.",
    ),
]
"""A moment in time; one without a zone is taken as UTC."""


class ApiModel(BaseModel):
    """Base of every request body: all text fields are checked by `clean_text`."""

    @field_validator("*", mode="after")
    @classmethod
    def _storable(cls, value: Any) -> Any:
        return clean_text(value)
