"""Index saves with several processes on one directory (`escdesk serve --workers N`): a reader
never sees half an index, and the directory ends with one whole generation."""

from __future__ import annotations

import multiprocessing
from datetime import timedelta
from pathlib import Path

from escdesk.similarity import SimilarityIndex
from escdesk.similarity.storage import CURRENT, LOCK
from tests.similarity.factories import T0, helpdesk, ticket

SAVES = 12


def _writer(directory: str, extra: int, started: multiprocessing.synchronize.Event) -> None:
    """Build an index of 8 + `extra` tickets and save it over and over."""
    index = SimilarityIndex(rerank=False)
    index.add(helpdesk())
    index.add(
        ticket(f"Extra ticket {n} about printers", at=T0 + timedelta(days=20 + n),
               external_id=f"X-{n}")
        for n in range(extra)
    )  # fmt: skip
    started.set()
    for _ in range(SAVES):
        index.save(directory)


def test_two_processes_saving_one_directory_never_show_a_reader_half_an_index(
    tmp_path: Path,
) -> None:
    directory = tmp_path / "index"
    SimilarityIndex(rerank=False).save(directory)  # an empty index to begin with
    context = multiprocessing.get_context("spawn")
    events = [context.Event(), context.Event()]
    writers = [
        context.Process(target=_writer, args=(str(directory), extra, event))
        for extra, event in zip((0, 3), events, strict=True)
    ]
    for writer in writers:
        writer.start()
    for event in events:
        assert event.wait(120)
    sizes = set()
    while any(writer.is_alive() for writer in writers):
        sizes.add(len(SimilarityIndex.load(directory)))  # raises if it met half an index
    for writer in writers:
        writer.join(60)
        assert writer.exitcode == 0

    assert sizes <= {0, 8, 11}
    assert len(SimilarityIndex.load(directory)) in (8, 11)
    entries = sorted(p.name for p in directory.iterdir())
    assert len(entries) == 3 and {LOCK, CURRENT} < set(entries)
    assert [p.name for p in tmp_path.iterdir()] == ["index"]
