"""Posted forms: read the fields as text, check the CSRF token, turn values into service input.

Fields arrive as strings; a wrong one raises InvalidInput naming the field and the fix, like
every other interface, so the page can show the refusal next to the form that caused it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request
from starlette.datastructures import FormData

from escdesk.domain.errors import Forbidden, InvalidInput
from escdesk.domain.values import check_storable, id_problem
from escdesk.http.security import verify_csrf
from escdesk.web.pages import zone_of

MAX_NUMBER = 2**63 - 1
"""The largest whole number a store column holds (BIGINT)."""
_MOMENT_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


class FormFields:
    """The text of a posted form, with the conversions the pages need."""

    def __init__(self, data: FormData) -> None:
        self._data = data
        self.values = {
            key: value
            for key, value in data.items()
            if isinstance(value, str) and key not in ("csrf_token", "password")
        }

    def text(self, name: str) -> str:
        """A field's text; one no store can hold (a NUL, broken Unicode) is refused by name."""
        value = self._data.get(name)
        return check_storable(value.strip(), name) if isinstance(value, str) else ""

    def optional(self, name: str) -> str | None:
        return self.text(name) or None

    def texts(self, name: str) -> list[str]:
        """Repeated fields, and textareas with one entry per line."""
        out: list[str] = []
        for value in self._data.getlist(name):
            if isinstance(value, str):
                out += [line.strip() for line in value.splitlines() if line.strip()]
        return out

    def flag(self, name: str) -> bool:
        return self.text(name).lower() in ("on", "true", "1", "yes")

    def integer(self, name: str) -> int | None:
        text = self.text(name).replace(",", "").replace("_", "")
        if not text:
            return None
        try:
            number = int(text)
        except ValueError:
            raise InvalidInput(
                name, f"{text[:40]!r} is not a whole number", "Write digits only"
            ) from None
        if abs(number) > MAX_NUMBER:
            raise InvalidInput(name, "is larger than any amount escdesk stores", "Check it")
        return number

    def integers(self, name: str) -> list[int]:
        out = []
        for value in self._data.getlist(name):
            if isinstance(value, str) and id_problem(value.strip()) is None:
                out.append(int(value))
        return out

    def moment(self, name: str, timezone: str) -> datetime | None:
        """A date and time from a datetime-local input, typed on the clock of `timezone` (the
        viewer's own, which the form's label names); returned in UTC."""
        return local_moment(self.text(name), name, timezone)

    def version(self) -> int | None:
        """The version the page showed: a concurrent change becomes a Conflict, not a loss."""
        return self.integer("version")


def local_moment(text: str, name: str, timezone: str) -> datetime | None:
    """A wall time typed in `timezone` as the UTC moment it names; empty text is None.

    Twice a year a zone with summer time breaks the one-to-one: a wall time the clocks skip
    names no moment and is refused, naming the field; one the clocks pass twice is read as
    the first of the two (the earlier promise).
    """
    if not text:
        return None
    for fmt in _MOMENT_FORMATS:
        try:
            wall = datetime.strptime(text, fmt)
        except ValueError:
            continue
        zone = zone_of(timezone)
        moment = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if moment.astimezone(zone).replace(tzinfo=None) != wall:
            raise InvalidInput(
                name,
                f"{wall:%d %b %Y %H:%M} does not exist in {timezone}: the clocks skip it",
                "Pick a time before or after the hour the clocks change",
            )
        return moment
    raise InvalidInput(
        name, f"{text[:40]!r} is not a date and time", "Pick one, or write it as 2026-11-02T09:00"
    )


async def posted_form(request: Request) -> FormFields:
    """Every form a signed-in person posts carries the CSRF token of their session."""
    fields = FormFields(await request.form())
    request.state.form_fields = fields
    verify_csrf(request, fields.text("csrf_token"))
    return fields


async def sign_in_form(request: Request) -> FormFields:
    """There is no session to tie a token to yet: refuse posts that come from another site."""
    origin = request.headers.get("origin")
    if origin and origin.split("://", 1)[-1] != request.headers.get("host"):
        raise Forbidden("Sign in from escdesk's own sign-in page.")
    fields = FormFields(await request.form())
    request.state.form_fields = fields
    return fields


FormDep = Annotated[FormFields, Depends(posted_form)]
SignInFormDep = Annotated[FormFields, Depends(sign_in_form)]
