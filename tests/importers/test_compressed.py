"""Compressed exports are read as they are: gzip, bzip2, xz, a zip with one file; UTF-16 too."""

from __future__ import annotations

import bz2
import gzip
import hashlib
import io
import lzma
import zipfile
from pathlib import Path

import pytest

from escdesk.domain.errors import InvalidInput
from escdesk.importers import open_import, read_tickets
from tests.importers.builders import fixture, jsonl_text, ticket_object


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


@pytest.mark.parametrize(
    ("suffix", "compress"),
    [(".gz", gzip.compress), (".bz2", bz2.compress), (".xz", lzma.compress)],
)
def test_a_compressed_export_reads_as_the_export_itself(
    tmp_path: Path, suffix: str, compress: object
) -> None:
    plain = fixture("zendesk_incremental.json").read_bytes()
    path = tmp_path / f"tickets{suffix}"
    path.write_bytes(compress(plain))  # type: ignore[operator]

    result = read_tickets(path, "zendesk")

    assert [t.external_id for t in result.tickets] == ["35436", "35437", "35438"]
    assert result.report.bytes_read == path.stat().st_size  # progress runs on the file's size


def test_a_gzip_file_is_read_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "tickets.csv"  # no .gz: the first bytes say what it is
    path.write_bytes(gzip.compress(fixture("tickets.csv").read_bytes()))

    assert [t.external_id for t in read_tickets(path, "csv").tickets] == ["T-1", "T-2", "T-3"]


def test_a_zip_with_one_export_reads_it_and_ignores_the_finders_litter(tmp_path: Path) -> None:
    path = zipped(
        tmp_path / "export.zip",
        {
            "export/tickets.jsonl": jsonl_text(ticket_object(1), ticket_object(2)).encode(),
            "__MACOSX/export/._tickets.jsonl": b"\x00\x05\x16\x07",
        },
    )

    assert [t.external_id for t in read_tickets(path, "jsonl").tickets] == ["T-1", "T-2"]


def test_a_zip_of_several_files_names_them(tmp_path: Path) -> None:
    path = zipped(tmp_path / "two.zip", {"a.csv": b"id\n", "b.csv": b"id\n"})

    with pytest.raises(InvalidInput) as caught:
        read_tickets(path, "csv")

    assert caught.value.problem == "is a zip archive of 2 files (a.csv, b.csv)"
    assert caught.value.fix == "Put one export in the archive, or unzip it and import each file"


def test_an_excel_workbook_is_told_to_be_saved_as_csv(tmp_path: Path) -> None:
    path = zipped(
        tmp_path / "tickets.xlsx",
        {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>", "xl/s.xml": b"<s/>"},
    )

    with pytest.raises(InvalidInput) as caught:
        read_tickets(path, "csv")

    assert caught.value.problem == "is an Excel workbook, not an export"


def test_a_cut_off_gzip_file_is_reported_as_damaged_not_as_bad_text(tmp_path: Path) -> None:
    data = gzip.compress(jsonl_text(*(ticket_object(n) for n in range(2000))).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])

    with pytest.raises(InvalidInput) as caught:
        read_tickets(path, "jsonl")

    assert caught.value.field.endswith(": file")
    assert caught.value.problem.startswith("cannot be read on (")
    assert "UTF-8" not in caught.value.problem
    assert caught.value.fix == "The file is cut off or damaged: export or download it again"


def test_a_gzip_stream_from_standard_input_reads_too() -> None:
    from escdesk.importers import import_stream

    data = gzip.compress(jsonl_text(ticket_object(1)).encode())

    run = import_stream(io.BytesIO(data), "jsonl", source="stdin")

    assert [t.key for t in run] == [("stdin", "T-1")]


def test_excels_utf16_text_export_is_read(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(
        "id\tsubject\tcreated_at\nT-1\tÜber-Login hängt\t2024-01-01\n".encode("utf-16")
    )

    ticket = read_tickets(path, "csv").tickets[0]

    assert ticket.subject == "Über-Login hängt"


def test_progress_of_a_compressed_file_counts_its_own_bytes(tmp_path: Path) -> None:
    digests = (hashlib.sha256(str(n).encode()).hexdigest() * 4 for n in range(3000))
    text = jsonl_text(*(ticket_object(n, body=body) for n, body in enumerate(digests)))
    path = tmp_path / "big.jsonl.gz"
    path.write_bytes(gzip.compress(text.encode(), compresslevel=1))
    seen = []
    with open_import(path, "jsonl") as run:
        for _ in run:
            seen.append(run.report.bytes_read)

    assert seen == sorted(seen) and seen[0] < path.stat().st_size
    assert seen[-1] == path.stat().st_size
