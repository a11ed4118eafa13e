"""Compressed exports read as they are: gzip, bzip2, xz, and a zip archive with one export in it.

Helpdesks and people ship large exports compressed (`tickets.json.gz`, a `.zip` from the
browser). The kind is told by the file's first bytes, never by its name, so a renamed file
still reads and a gzip file is never decoded as if it were text. gzip, bzip2 and xz are read
as streams; a zip archive keeps its directory at its end, so it must be a file that can be
seeked (an upload spooled to disk is).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zipfile
from typing import IO, BinaryIO, cast

from escdesk.domain.errors import InvalidInput

GZIP = b"\x1f\x8b"
BZIP2 = b"BZh"
XZ = b"\xfd7zXZ\x00"
ZIP = b"PK\x03\x04"
EMPTY_ZIP = b"PK\x05\x06"
MAGIC_LENGTH = 6
_IGNORED = ("__MACOSX/", ".DS_Store")


def kind_of(head: bytes) -> str | None:
    """'gzip', 'bzip2', 'xz', 'zip', or None for an uncompressed file, from its first bytes."""
    if head.startswith(GZIP):
        return "gzip"
    if head.startswith(BZIP2) and head[3:4].isdigit():
        return "bzip2"
    if head.startswith(XZ):
        return "xz"
    if head.startswith((ZIP, EMPTY_ZIP)):
        return "zip"
    return None


def decompressed(kind: str, raw: BinaryIO) -> IO[bytes]:
    """The export inside `raw`, read as it is decompressed."""
    if kind == "gzip":
        return cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb"))
    if kind == "bzip2":
        return cast(IO[bytes], bz2.BZ2File(raw, mode="rb"))
    if kind == "xz":
        return cast(IO[bytes], lzma.LZMAFile(raw, mode="rb"))
    return _only_member(raw)


def _only_member(raw: BinaryIO) -> IO[bytes]:
    if not raw.seekable():
        raise _zip_error(
            "is a zip archive read from a stream",
            "Unzip it first, or import the .zip file by its path",
        )
    try:
        archive = zipfile.ZipFile(raw)
    except zipfile.BadZipFile as exc:
        raise _zip_error(f"is a damaged zip archive ({exc})", "Download it again") from exc
    names = [
        info.filename
        for info in archive.infolist()
        if not info.is_dir()
        and not info.filename.startswith(_IGNORED[0])
        and not info.filename.rsplit("/", 1)[-1].startswith(("._", _IGNORED[1]))
    ]
    if "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names):
        raise _zip_error(
            "is an Excel workbook, not an export",
            "Save the sheet as CSV (CSV UTF-8) and import that file",
        )
    if len(names) != 1:
        shown = ", ".join(names[:5]) + (", …" if len(names) > 5 else "")
        found = f"{len(names)} files ({shown})" if names else "no files"
        raise _zip_error(
            f"is a zip archive of {found}",
            "Put one export in the archive, or unzip it and import each file",
        )
    try:
        return archive.open(names[0])
    except (NotImplementedError, RuntimeError) as exc:  # encrypted or an unknown method
        raise _zip_error(f"cannot be unzipped here ({exc})", "Unzip it first") from exc


def _zip_error(problem: str, fix: str) -> InvalidInput:
    return InvalidInput("line 1: file", problem, fix)


def read_errors() -> tuple[type[Exception], ...]:
    """What a damaged compressed stream raises part-way through."""
    return (EOFError, OSError, lzma.LZMAError, zipfile.BadZipFile, io.UnsupportedOperation)
