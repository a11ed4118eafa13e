"""The text an importer reads, and how many bytes of it were read so far (for a progress bar).

Every format reads through a `TextSource`, never through `stream.read()` of the whole file, so
memory stays flat however large the export is. A binary stream is first looked at: a
compressed one (gzip, bzip2, xz, a zip with one file) is decompressed as it is read (see
`compressed`); the text is UTF-8 (a byte-order mark, as Excel writes, is dropped) or, after a
UTF-16 byte-order mark (Excel's "Unicode text"), UTF-16. Bytes are counted below the
decompressor, so progress is measured against the file's size on disk; the count runs ahead of
the parser by at most one 64 KiB read. A text stream is counted by the UTF-8 length of what was
taken from it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO, cast

from escdesk.domain.errors import InvalidInput
from escdesk.importers.compressed import MAGIC_LENGTH, decompressed, kind_of

CHUNK = 1 << 16
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class _CountingReader(io.RawIOBase):
    """A raw binary reader that counts the bytes passing through it (seekable if its inner
    stream is, for zip archives)."""

    def __init__(self, inner: BinaryIO) -> None:
        self._inner = inner
        self.count = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        try:
            return bool(self._inner.seekable())
        except (AttributeError, ValueError):
            return False

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._inner.seek(offset, whence)

    def tell(self) -> int:
        return self._inner.tell()

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

    def _taken(self, text: str) -> str:
        if self._first and text:
            self._first = False
            if text.startswith("\ufeff"):
                text = text[1:]
        self.count += len(text.encode("utf-8", "surrogatepass"))
        return text

    def read(self, size: int = -1) -> str:
        return self._taken(self._inner.read(size))

    def readline(self) -> str:
        return self._taken(self._inner.readline())

    def __iter__(self) -> Iterator[str]:
        for line in self._inner:
            yield self._taken(line)


def _decoded(stream: BinaryIO) -> tuple[_CountingReader, io.TextIOWrapper]:
    raw = _CountingReader(stream)
    buffered = io.BufferedReader(raw, CHUNK)
    kind = kind_of(buffered.peek(MAGIC_LENGTH)[:MAGIC_LENGTH])
    # Every decompressor is a buffered binary stream; typeshed names them apart.
    inner = cast(BinaryIO, buffered if kind is None else decompressed(kind, buffered))
    head = inner.peek(2)[:2] if hasattr(inner, "peek") else b""
    encoding = "utf-16" if head in UTF16_BOMS else "utf-8-sig"
    return raw, io.TextIOWrapper(inner, encoding=encoding, newline="")


class TextSource:
    """Lines or chunks of an export's text, with `bytes_read` always current."""

    def __init__(self, stream: TextIO | BinaryIO) -> None:
        probe = stream.read(0)
        self._pending = ""
        self._raw: _CountingReader | None = None
        self._text: io.TextIOWrapper | _CountingText
        if isinstance(probe, bytes):
            self._raw, self._text = _decoded(stream)  # type: ignore[arg-type]
        else:
            self._text = _CountingText(stream)  # type: ignore[arg-type]

    @property
    def bytes_read(self) -> int:
        if self._raw is not None:
            return self._raw.count
        assert isinstance(self._text, _CountingText)
        return self._text.count

    def peek(self) -> str:
        """The first character that is not white space ('' for an empty text), left unread:
        it tells a JSON document from a CSV sheet."""
        while True:
            stripped = self._pending.lstrip()
            if stripped:
                return stripped[0]
            chunk = self._text.read(CHUNK)
            if not chunk:
                return ""
            self._pending += chunk

    def lines(self) -> Iterator[str]:
        """Lines with their endings, as `csv.reader` and JSON Lines want them."""
        if self._pending:
            pending, self._pending = self._pending, ""
            if not pending.endswith("\n"):
                pending += self._text.readline()  # finish the line the peek cut
            yield from io.StringIO(pending, newline="")
        yield from self._text

    def read(self, size: int = CHUNK) -> str:
        if self._pending:
            text, self._pending = self._pending[:size], self._pending[size:]
            return text
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
