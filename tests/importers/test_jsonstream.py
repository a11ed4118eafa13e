"""The streaming JSON reader: values across chunk edges, line numbers, flat memory."""

from __future__ import annotations

import io
import json
import tracemalloc
from collections.abc import Iterator

from escdesk.importers import zendesk
from escdesk.importers.base import ImportOptions
from escdesk.importers.jsonstream import WHOLE_LIMIT, iter_json
from escdesk.importers.source import CHUNK, TextSource
from tests.importers.builders import LazyFile


def items(text: str, containers: tuple[str, ...] = ("tickets",)) -> list[tuple[object, int]]:
    return [(i.value, i.line) for i in iter_json(TextSource(io.StringIO(text)), containers)]


def test_numbers_strings_and_escapes_cut_by_chunk_edges_decode_exactly() -> None:
    values: list[object] = []
    for n in range(40_000):
        values.append(123456789 * n if n % 3 else f'caf\u00e9 \\ "{n}" \u2603')
    text = json.dumps(values)  # about 600 KB: many chunk edges, at every kind of token
    assert len(text) > 8 * CHUNK

    assert [value for value, _ in items(text)] == values


def test_records_of_a_pretty_printed_document_carry_their_own_line() -> None:
    tickets = [
        {"id": n, "subject": "x" * (n * 37 % 900), "tags": ["a"] * (n % 4)} for n in range(3000)
    ]
    text = json.dumps({"count": 3000, "tickets": tickets, "next_page": None}, indent=2)
    lines = text.splitlines()
    starts = [i + 1 for i, line in enumerate(lines) if line == "    {"]

    found = items(text)

    assert [value for value, _ in found] == tickets
    assert [line for _, line in found] == starts


def test_records_one_per_line_are_read_whole_with_their_line() -> None:
    text = '{"id": 1}\n\n{"id": 2}\n{"id": 3, "tags": ["x"]}\n'

    assert items(text) == [({"id": 1}, 1), ({"id": 2}, 3), ({"id": 3, "tags": ["x"]}, 4)]


def test_a_document_larger_than_the_whole_limit_is_streamed_and_gives_every_ticket() -> None:
    tickets = [
        {"id": n, "subject": f"Subject {n}", "created_at": "2024-01-01"} for n in range(30_000)
    ]
    text = json.dumps({"tickets": tickets, "end_of_stream": True})
    assert len(text) > 4 * WHOLE_LIMIT

    assert [value for value, _ in items(text)] == tickets


def _zendesk_page(count: int) -> Iterator[str]:
    yield '{"tickets":['
    for n in range(count):
        comma = "," if n else ""
        yield (
            f'{comma}{{"id":{n},"subject":"Webhook delivered twice ({n})",'
            f'"description":"{"Same event again. " * 20}","created_at":"2024-02-01T10:00:00Z",'
            f'"status":"open","organization_id":{n % 300},"tags":["webhooks"]}}'
        )
    yield '],"next_page":null,"end_of_stream":true}'


def test_a_large_minified_zendesk_export_parses_in_flat_memory() -> None:
    count = 12_000  # 6 MB on one line
    tracemalloc.start()
    try:
        stream = LazyFile(_zendesk_page(count))
        parsed = 0
        for record in zendesk.parse(stream, source="z", options=ImportOptions(allow_repeats=True)):
            assert record.ticket is not None
            parsed += 1
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert parsed == count
    assert record.bytes_read > 6_000_000
    assert peak < 3 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
