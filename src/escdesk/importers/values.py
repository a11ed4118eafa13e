"""Reading one field of one record: text, optional text, lists of tags.

A problem with a field raises `FieldProblem`; the format turns it into an `InvalidRecord` that
names the line, so every format words the same mistake the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from escdesk.domain.errors import InvalidInput

_SPLIT_TAGS = re.compile(r"[,;]")
SUBJECT_FROM_BODY = 120


class FieldProblem(Exception):
    """One field of one record is wrong: what is wrong with it and how to fix it."""

    def __init__(self, field: str, problem: str, fix: str) -> None:
        super().__init__(f"{field}: {problem}. {fix}")
        self.field = field
        self.problem = problem
        self.fix = fix


_T = TypeVar("_T")


def read_by_rule(read: Callable[[str, str], _T], text: str, field: str) -> _T:
    """`text` read by a domain rule (a count, a rating…) under the name the file gives the
    field; the rule's refusal becomes that field's FieldProblem."""
    try:
        return read(text, field)
    except InvalidInput as exc:
        raise FieldProblem(field, exc.problem, exc.fix) from exc


def describe(value: object) -> str:
    """A value as a user would name it in their file: 'the number 42', 'a list'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "empty" if not value.strip() else repr(value)
    return type(value).__name__


def required_text(value: object, field: str, fix: str) -> str:
    """A string that must be there and not blank (ids, subjects)."""
    if type(value) is str and (text := value.strip()):
        return text
    if value is None or (isinstance(value, str) and not value.strip()):
        raise FieldProblem(field, "is missing", fix)
    if not isinstance(value, str):
        raise FieldProblem(field, f"is {describe(value)}, not text", f'Quote it: "{value}"')
    return value.strip()


def optional_text(value: object, field: str) -> str | None:
    """A string or nothing; blank text counts as nothing."""
    if type(value) is str:
        return value.strip() or None
    if value is None:
        return None
    if not isinstance(value, str):
        raise FieldProblem(
            field, f"is {describe(value)}, not text", f'Write it as text ("{value}") or null'
        )
    text = value.strip()
    return text or None


def text_list(value: object, field: str) -> tuple[str, ...]:
    """A JSON list of strings; null means none."""
    if type(value) is list:
        try:  # of JSON's values only text has strip(): anything else is the error below
            return tuple(filter(None, [item.strip() for item in value]))
        except AttributeError:
            pass
    elif value is None:
        return ()
    raise FieldProblem(
        field, f"is {describe(value)}, not a list of text", 'Write it as ["billing", "sso"]'
    )


def first_line(text: str, limit: int = SUBJECT_FROM_BODY) -> str:
    """The first non-blank line of a description, cut to a subject's length, for tickets filed
    without a subject (calls, chats, issues created by tools)."""
    line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(line) > limit:
        return line[: limit - 1].rstrip() + "…"
    return line


def split_tags(cell: str) -> tuple[str, ...]:
    """One CSV cell of tags, separated by commas or semicolons."""
    return tuple(tag.strip() for tag in _SPLIT_TAGS.split(cell) if tag.strip())


def id_text(value: object, field: str) -> str:
    """A helpdesk id, which JSON APIs give as a number and CSV exports as text."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return required_text(value, field, "Give every ticket its helpdesk id")


def loose_text(value: object) -> str | None:
    """A custom field's value as text: Jira and Zendesk give strings, numbers, options
    (`{"value": …}`, `{"name": …}`) or lists of them; a list gives its first value."""
    if isinstance(value, list):
        for item in value:
            text = loose_text(item)
            if text:
                return text
        return None
    if isinstance(value, dict):
        for key in ("name", "value", "displayName"):
            if key in value:
                return loose_text(value[key])
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return None
