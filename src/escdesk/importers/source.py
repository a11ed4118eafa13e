"""The text an importer reads, and how many bytes of it were read so far (for a progress bar).

Every format reads through a `TextSource`, never through `stream.read()` of the whole file, so
memory stays flat however large the export is. A binary stream is decoded as UTF-8 (a byte-order
mark, as Excel writes, is dropped) and its bytes are counted below the decoder: the count runs
ahead of the parser by at most one 64 KiB read. A text stream is counted by the UTF-8 length
of what was taken from it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from escdesk.domain.errors import InvalidInput

CHUNK = 1 << 16


class _CountingReader(io.RawIOBase):
    """A raw binary reader that counts the bytes passing through it."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


class _CountingText:
    """A text stream wrapper that counts the UTF-8 bytes of the text taken from it."""

    def __init__(self, inner: TextIO) -> None:
        self._inner = inner
        self.count = 0
        self._first = True

    def _strip_bom(self, text: str) -> str:
        if self._first and text:
            self._first = False
            if text.startswith("\ufeff"):
                return text[1:]
        return text

    def read(self, size: int = -1) -> str:
        text = self._strip_bom(self._inner.read(size))
        self.count += len(text.encode("utf-8", "surrogatepass"))
        return text

    def __iter__(self) -> Iterator[str]:
        for line in self._inner:
            line = self._strip_bom(line)
            self.count += len(line.encode("utf-8", "surrogatepass"))
            yield line


class TextSource:
    """Lines or chunks of an export's text, with `bytes_read` always current."""

    def __init__(self, stream: TextIO | BinaryIO) -> None:
        probe = stream.read(0)
        if isinstance(probe, bytes):
            self._raw: _CountingReader | None = _CountingReader(stream)  # type: ignore[arg-type]
            self._text: io.TextIOWrapper | _CountingText = io.TextIOWrapper(
                io.BufferedReader(self._raw, CHUNK), encoding="utf-8-sig", newline=""
            )
        else:
            self._raw = None
            self._text = _CountingText(stream)  # type: ignore[arg-type]

    @property
    def bytes_read(self) -> int:
        if self._raw is not None:
            return self._raw.count
        assert isinstance(self._text, _CountingText)
        return self._text.count

    def lines(self) -> Iterator[str]:
        """Lines with their endings, as `csv.reader` and JSON Lines want them."""
        return iter(self._text)

    def read(self, size: int = CHUNK) -> str:
        return self._text.read(size)


def open_export(path: Path, field: str = "file") -> BinaryIO:
    """Open an export file for reading, or say in one line why it cannot be read."""
    try:
        return path.open("rb")
    except FileNotFoundError:
        raise InvalidInput(field, f"{path} does not exist", "Check the path") from None
    except IsADirectoryError:
        raise InvalidInput(field, f"{path} is a directory", "Name the export file") from None
    except PermissionError:
        raise InvalidInput(field, f"{path} cannot be read", "Check its permissions") from None
