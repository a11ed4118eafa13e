"""A million-line export must not need a million tickets' worth of memory (R-REC-1)."""

from __future__ import annotations

import tracemalloc

from escdesk.importers import jsonl
from escdesk.importers.seen import SeenIds
from tests.importers.builders import LazyFile, generated_jsonl

MB = 1024 * 1024


def test_a_generated_200k_line_stream_parses_in_a_few_megabytes() -> None:
    """Holding the tickets would take ~300 MB; what may grow is the repeated-id index."""
    lines = 200_000
    tracemalloc.start()
    try:
        stream = LazyFile(generated_jsonl(lines))
        parsed = sum(1 for record in jsonl.parse(stream, source="t") if record.ticket)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert parsed == lines
    assert peak < 8 * MB, f"peak {peak / MB:.2f} MB"  # measured: 5.6 MB


def test_the_repeated_id_index_costs_about_20_bytes_per_id() -> None:
    ids = [f"T-{n}" for n in range(100_000)]
    tracemalloc.start()
    try:
        seen = SeenIds()
        for line, key in enumerate(ids, start=1):
            seen.first_line(key, line)
        kept = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()

    assert kept < 100_000 * 24  # measured: 19 bytes per id


def test_a_repeat_is_found_however_long_ago_the_id_was_first_seen() -> None:
    seen = SeenIds()
    for n in range(20_000):  # several merges into the sorted array
        assert seen.first_line(f"T-{n}", n + 1) is None

    assert seen.first_line("T-0", 30_000) == 1
    assert seen.first_line("T-12345", 30_001) == 12_346
    assert seen.first_line("T-19999", 30_002) == 20_000
    assert seen.first_line("T-20000", 30_003) is None
