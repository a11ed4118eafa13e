"""JSON exports read one record at a time, however large the file.

Helpdesk APIs answer with one document, `{"tickets": [...], "next_page": ...}`, and their bulk
exports with newline-delimited objects. `json.load` on a 2 GB export would need many GB of
memory, so this reader walks the text itself and hands each element of a *container* array
(`tickets`, `issues`…) to `json`'s C decoder on its own. It accepts:

- one document whose top-level object holds container arrays (pages may be concatenated);
- a top-level array of records;
- records one after another (NDJSON / JSON Lines), which are decoded whole.

A top-level object is first decoded whole if it fits in `WHOLE_LIMIT` (256 KiB); if it holds
a container it is read again as a stream, so records carry their real line numbers.
Other top-level values of a document (`count`, `next_page`…) are decoded whole and ignored.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Any

from escdesk.importers.source import CHUNK, TextSource

WHOLE_LIMIT = 1 << 18
RECORD_LIMIT = 64 << 20
_WHITESPACE = " \t\r\n"
_decoder = json.JSONDecoder()


class JsonStreamError(Exception):
    """The text stops being JSON at `line`, `column`."""

    def __init__(self, line: int, column: int, message: str) -> None:
        super().__init__(f"line {line} column {column}: {message}")
        self.line = line
        self.column = column
        self.message = message


@dataclass(frozen=True, slots=True)
class JsonItem:
    """A record: `key` is the container it came from (None at top level); `nested` says
    whether it is an element of an array rather than a value of its own."""

    key: str | None
    line: int
    value: Any
    nested: bool


class _Buffer:
    """A sliding window over the text, with the line number of any position in it."""

    def __init__(self, text: TextSource) -> None:
        self._text = text
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._line = 1
        self._counted = 0

    def fill(self, size: int = CHUNK) -> bool:
        """Reads `size` more characters, dropping what was consumed; False at end of file."""
        if self.eof:
            return False
        chunk = self._text.read(size)
        if not chunk:
            self.eof = True
            return False
        self.line_at(self.pos)
        self.buf = self.buf[self.pos :] + chunk
        self._counted -= self.pos
        self.pos = 0
        return True

    def line_at(self, position: int) -> int:
        if position > self._counted:
            self._line += self.buf.count("\n", self._counted, position)
            self._counted = position
        return self._line

    def column_at(self, position: int) -> int:
        return position - (self.buf.rfind("\n", 0, position) + 1) + 1

    def peek(self) -> str:
        """The next non-blank character ('' at end of file), without consuming it."""
        while True:
            buf, pos = self.buf, self.pos
            while pos < len(buf) and buf[pos] in _WHITESPACE:
                pos += 1
            self.pos = pos
            if pos < len(buf):
                return buf[pos]
            if not self.fill():
                return ""

    def expect(self, allowed: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            found = repr(char) if char else "the end of the file"
            raise self.error(self.pos, f"expected {' or '.join(map(repr, allowed))}, found {found}")
        self.pos += 1
        return char

    def error(self, position: int, message: str) -> JsonStreamError:
        return JsonStreamError(self.line_at(position), self.column_at(position), message)

    def value(self, limit: int) -> tuple[Any, int] | None:
        """Decodes the value at `pos`; returns it and its end, or None if it exceeds `limit`.

        A value touching the end of the window may be cut off (a number, a string), so the
        window grows until the value ends before it or the file ends.
        """
        while True:
            try:
                value, end = _decoder.raw_decode(self.buf, self.pos)
            except RecursionError:
                raise self.error(self.pos, "nests deeper than any export does") from None
            except json.JSONDecodeError as exc:
                cut_off = exc.pos >= len(self.buf) - 32 or exc.msg.startswith("Unterminated")
                if not (cut_off and not self.eof):
                    raise self.error(exc.pos, exc.msg) from None
            else:
                if end < len(self.buf) or self.eof:
                    return value, end
            pending = len(self.buf) - self.pos
            if pending > limit:
                return None
            self.fill(max(CHUNK, pending))  # doubling keeps re-decoding a long value linear


def iter_json(text: TextSource, containers: Collection[str]) -> Iterator[JsonItem]:
    """Every record of the text, as described in the module docstring."""
    window = _Buffer(text)
    while True:
        char = window.peek()
        if not char:
            return
        line = window.line_at(window.pos)
        if char == "[":
            yield from _array(window, None)
        elif char == "{":
            decoded = window.value(WHOLE_LIMIT)
            if decoded is not None and not _holds_container(decoded[0], containers):
                window.pos = decoded[1]
                yield JsonItem(None, line, decoded[0], False)
            else:
                yield from _object(window, containers, line)
        else:
            raise window.error(window.pos, "expected a JSON object or array")


def _holds_container(value: Any, containers: Collection[str]) -> bool:
    return isinstance(value, dict) and any(isinstance(value.get(k), list) for k in containers)


def _array(window: _Buffer, key: str | None) -> Iterator[JsonItem]:
    window.expect("[")
    if window.peek() == "]":
        window.pos += 1
        return
    while True:
        window.peek()
        line = window.line_at(window.pos)
        decoded = window.value(RECORD_LIMIT)
        if decoded is None:
            raise window.error(window.pos, "a record is larger than 64 MB")
        window.pos = decoded[1]
        yield JsonItem(key, line, decoded[0], True)
        if window.expect(",]") == "]":
            return


def _object(window: _Buffer, containers: Collection[str], line: int) -> Iterator[JsonItem]:
    """A top-level object read key by key, streaming its container arrays."""
    window.expect("{")
    rest: dict[str, Any] = {}
    streamed = False
    if window.peek() == "}":
        window.pos += 1
    else:
        while True:
            window.peek()
            key_at = window.pos
            decoded = window.value(RECORD_LIMIT)
            if decoded is None or not isinstance(decoded[0], str):
                raise window.error(key_at, "expected a property name in double quotes")
            window.pos = decoded[1]
            key = decoded[0]
            window.expect(":")
            if key in containers and window.peek() == "[":
                streamed = True
                yield from _array(window, key)
            else:
                window.peek()
                value = window.value(RECORD_LIMIT)
                if value is None:
                    raise window.error(window.pos, f"the value of {key!r} is larger than 64 MB")
                window.pos = value[1]
                rest[key] = value[0]
            if window.expect(",}") == "}":
                break
    if not streamed:
        yield JsonItem(None, line, rest, False)
