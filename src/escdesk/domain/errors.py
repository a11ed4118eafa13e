"""Every error escdesk shows a user, defined once; the CLI and the API each map them once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class EscdeskError(Exception):
    """Base of all expected errors. `code` is stable and safe to match on in scripts."""

    code = "error"

    def __init__(self, message: str) -> None:
        message = printable(message)
        super().__init__(message)
        self.message = message


def printable(text: str) -> str:
    """Text any terminal, page or JSON encoder takes: an unpaired surrogate quoted from bad
    input is shown escaped (`\\udc00`) rather than failing the answer that names it."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


class InvalidInput(EscdeskError):
    """A value a user gave is wrong: names the field, the problem and how to fix it."""

    code = "invalid_input"

    def __init__(self, field: str, problem: str, fix: str, *, also: tuple[str, ...] = ()) -> None:
        field, problem, fix = printable(field), printable(problem), printable(fix)
        super().__init__(f"{field}: {problem}. {fix}")
        self.field = field
        self.problem = problem
        self.fix = fix
        self.also = also
        """Other fields the problem may lie in ("the e-mail or password is wrong"): a face
        then says the problem as a sentence of its own, not after one field's label."""


class NotFound(EscdeskError):
    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!s} not found")
        self.kind = kind
        self.key = key


class Conflict(EscdeskError):
    """Someone else changed the record since it was read: reload and try again."""

    code = "conflict"

    def __init__(self, kind: str, key: object, current_version: int | None) -> None:
        super().__init__(
            f"{kind} {key!s} was changed by someone else (now at version {current_version}); "
            "reload it and apply your change again"
        )
        self.kind = kind
        self.key = key
        self.current_version = current_version


class Forbidden(EscdeskError):
    code = "forbidden"


class StateRefused(EscdeskError):
    """The record's state forbids the change (it is closed, archived, at the wrong revision):
    not bad input — the same request may succeed once the state is different."""

    code = "state_refused"


class AlreadyOpen(StateRefused):
    """Seed 004 runs one escalation per customer situation: a second escalation for a customer
    whose escalation is still open is usually the same trouble, better added to the open one.
    Refused unless the opener says a second one is meant (`field`)."""

    code = "already_open"
    field = "also"

    def __init__(self, customer: str, escalation_id: int, severity: str, summary: str) -> None:
        self.customer, self.escalation_id = customer, escalation_id
        self.severity, self.summary = severity, summary
        self.problem = (
            f"{customer} already has an open escalation: #{escalation_id} ({severity}) {summary}"
        )
        self.fix = "Add to that escalation, or say that a second one is meant"
        super().__init__(f"{self.problem}. {self.fix}")


@dataclass(frozen=True)
class Need:
    """Something a rule needs before it allows a change: in words any face can show, and the
    fields that would give it, which each face spells its own way (a CLI flag, a form label,
    a JSON member)."""

    what: str
    fields: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.what


class RuleRefused(EscdeskError):
    """A process rule (an R-id of PRODUCT.md) refuses the change; `missing` says what is needed."""

    code = "rule_refused"

    def __init__(self, rule_id: str, problem: str, missing: Sequence[Need | str]) -> None:
        needs = [m if isinstance(m, Need) else Need(m) for m in missing]
        detail = "; ".join(n.what for n in needs)
        super().__init__(f"{rule_id}: {problem}" + (f" — missing: {detail}" if detail else ""))
        self.rule_id = rule_id
        self.problem = problem
        self.missing = needs


class DatabaseUnavailable(EscdeskError):
    """The database cannot be reached or did not answer in time; nothing was changed.

    `database` names it as a person may see it (never with its password); trying again once it
    is back is safe.
    """

    code = "database_unavailable"

    def __init__(self, database: str, reason: str) -> None:
        super().__init__(
            f"the database {database} is unavailable ({reason}); try again once it is reachable"
        )
        self.database = database
        self.reason = reason


class TooManyAttempts(EscdeskError):
    """Too many wrong attempts in a row (R-OPS-2 sign-in throttling): the next one is heard
    only after `retry_after` seconds; nothing was checked this time."""

    code = "too_many_attempts"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
