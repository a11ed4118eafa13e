"""Small builders for importer tests: a ticket line, a parse of some text, its problems."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.importers.base import ImportOptions, ParsedRecord

FIXTURES = Path(__file__).parent / "fixtures"
MISSING = object()

Parse = Callable[..., Iterator[ParsedRecord]]


def fixture(name: str) -> Path:
    return FIXTURES / name


def ticket_object(n: int = 1, **overrides: Any) -> dict[str, Any]:
    """A valid escdesk jsonl ticket; pass MISSING to leave a key out."""
    values: dict[str, Any] = {
        "id": f"T-{n}",
        "subject": f"Subject {n}",
        "created_at": "2024-03-01T09:00:00Z",
        "account": "Acme Corp",
        "tags": ["sso"],
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not MISSING}


def jsonl_text(*objects: dict[str, Any]) -> str:
    return "".join(json.dumps(obj) + "\n" for obj in objects)


def parse_text(
    parse: Parse, text: str | bytes, *, source: str = "test", **options: Any
) -> list[ParsedRecord]:
    data = text.encode("utf-8") if isinstance(text, str) else text
    stream: BinaryIO | TextIO = io.BytesIO(data)
    return list(parse(stream, source=source, options=ImportOptions(**options)))


def problems(parse: Parse, text: str | bytes, **options: Any) -> list[str]:
    """Every invalid record of a parse, as the user reads it."""
    records = parse_text(parse, text, **options)
    return [str(record.invalid) for record in records if record.invalid is not None]


def fatal(parse: Parse, text: str | bytes, **options: Any) -> InvalidInput:
    """The file-level error a parse raises."""
    with pytest.raises(InvalidInput) as caught:
        parse_text(parse, text, **options)
    return caught.value


class LazyFile(io.RawIOBase):
    """A read-only binary stream made on demand from lines: a big file that is never in memory."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self._pending = bytearray()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while len(self._pending) < len(buffer):
            line = next(self._lines, None)
            if line is None:
                break
            self._pending += line.encode("utf-8")
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        del self._pending[:n]
        return n


def generated_jsonl(count: int) -> Iterator[str]:
    """`count` valid jsonl tickets with distinct ids, made one at a time."""
    for n in range(count):
        yield (
            f'{{"id": "T-{n}", "subject": "Export times out after {n % 97} minutes", '
            f'"body": "Reported by customer {n % 501}.", "created_at": "2024-03-01T09:00:00Z", '
            f'"account": "Account {n % 211}", "product_area": "Reporting", '
            f'"status": "open", "solved_at": null, "tags": ["export"]}}\n'
        )
