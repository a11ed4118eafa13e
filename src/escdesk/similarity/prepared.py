"""Tickets read into term counts ahead of the index they will join: an import reads its tickets
while it stages them, and the index takes them in one short step after the database committed.

Reading text is most of what indexing costs. Done while the import stages its batches, it needs
neither the index (which keeps answering queries meanwhile) nor a second pass over the tickets
table. Terms and labels get columns of a vocabulary of their own, in the order they are first
met; `batches_for` then learns them into the index's vocabularies in that same order, batch by
batch, so the index ends exactly as if the tickets had been added to it one by one.

A big import reads in a process of its own (`python -m escdesk.similarity.prepared`, fed the
tickets' fields through a pipe), so that reading text runs on a second core beside parsing the
export and writing the database, and hands back what it read when the import has committed.
The pipe is private to the two processes; should the reader fail, the import goes on and the
index catches up from the table afterwards, as after any import it did not see.
"""

from __future__ import annotations

import os
import pickle
import struct
import subprocess
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt

from escdesk.domain.errors import InvalidInput
from escdesk.domain.ticket import Ticket
from escdesk.services.ticket_views import IndexSignature
from escdesk.similarity.reading import Batch, Fields, Reader, fields_of
from escdesk.similarity.vocabulary import Vocabulary

BATCH_SIZE = 50_000  # tickets per batch, as the corpus seals them
BACKGROUND_FROM = 5_000  # an import whose first batch is this big reads in its own process
_FRAME = struct.Struct("<Q")
_BROKEN = (OSError, ValueError, EOFError, pickle.UnpicklingError)


class ReadingLost(Exception):
    """The reading process ended before it handed back what it read."""


class Prepared:
    """An import's tickets as term counts; `batches_for` hands them to an index once."""

    def __init__(self, subject_phrases: bool = False) -> None:
        self.subject_phrases = subject_phrases
        self.terms = Vocabulary(sys.maxsize)  # the index's own cap applies when it learns them
        self.labels = Vocabulary(sys.maxsize)
        self._reader = Reader(self.terms, self.labels, subject_phrases)
        self._sealed: list[tuple[Batch, int, int]] = []  # and the columns known at its end
        self._batch = Batch()
        self._keys: set[str] = set()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def add(self, tickets: Iterable[Ticket]) -> None:
        """Read tickets (a later one with the same key replaces the earlier, as in the index)."""
        self.add_fields(map(_fields, tickets))

    def add_fields(self, tickets: Iterable[Fields]) -> None:
        append, batch = self._reader.append, self._batch
        for fields in tickets:
            key = fields[0]
            if key in self._keys or len(batch) >= BATCH_SIZE:
                self._close()  # a key is once per batch: a repeat replaces it in the next
                batch = self._batch
            self._keys.add(key)
            append(batch, fields)
            self._count += 1

    def close(self, wait: bool = False) -> None:
        """Nothing to stop: reading happened in this process."""

    def _close(self) -> None:
        if len(self._batch):
            self._sealed.append((self._batch, len(self.terms), len(self.labels)))
        self._batch, self._keys = Batch(), set()

    def _finished(self) -> Iterator[tuple[Batch, int, int]]:
        """Each sealed batch with the columns known at its end, handed over once (`terms` and
        `labels` are complete when this returns)."""
        self._close()
        return self._handed()

    def _handed(self) -> Iterator[tuple[Batch, int, int]]:
        while self._sealed:
            yield self._sealed.pop(0)

    def batches_for(
        self, vocabulary: Vocabulary, labels: Vocabulary, keys: Mapping[str, str]
    ) -> Iterator[Batch]:
        """The batches in the columns of `vocabulary` and `labels`, each learnt just before it
        is yielded (the order an index adding them itself would learn them in); ids become
        `keys[id]` where the database keys a ticket otherwise. Consumes what was read."""
        sealed = self._finished()
        terms = _Columns(self.terms, vocabulary)
        tags = _Columns(self.labels, labels)
        for batch, known_terms, known_labels in sealed:
            yield batch.remapped(
                terms.up_to(known_terms),
                tags.up_to(known_labels),
                [keys.get(key, key) for key in batch.ids],
            )


class PreparedImport(Prepared):
    """Tickets read ahead of the index, and the table the index was built from meanwhile; a
    big import is read by a process of its own (see the module's docstring)."""

    def __init__(self, subject_phrases: bool, base: IndexSignature | None) -> None:
        super().__init__(subject_phrases)
        self.base = base
        self.lost = False  # the reading process failed: the index must catch up otherwise
        self._process: subprocess.Popen[bytes] | None = None
        self._started = False

    def add(self, tickets: Iterable[Ticket]) -> None:
        rows = [_fields(ticket) for ticket in tickets]
        if not self._started:
            self._started = True
            if len(rows) >= BACKGROUND_FROM:
                self._process = _start(self.subject_phrases)
        if self._process is None:
            if not self.lost:
                self.add_fields(rows)
            return
        self._count += len(rows)
        try:
            _send(self._process.stdin, rows)
        except (OSError, ValueError):
            self._lose()

    def _finished(self) -> Iterator[tuple[Batch, int, int]]:
        process = self._process
        if self.lost:
            raise ReadingLost("the reading process ended early")
        if process is None:
            return super()._finished()
        try:
            assert process.stdin is not None and process.stdout is not None
            _send(process.stdin, None)
            process.stdin.close()
            terms, labels, known = _receive(process.stdout)
        except _BROKEN as error:
            self._lose()
            raise ReadingLost("the reading process ended early") from error
        self.terms, self.labels = _vocabulary(terms), _vocabulary(labels)
        return self._received(process.stdout, known)

    def _received(
        self, stream: IO[bytes], known: list[tuple[int, int]]
    ) -> Iterator[tuple[Batch, int, int]]:
        try:
            for known_terms, known_labels in known:
                yield _receive(stream), known_terms, known_labels
        except _BROKEN as error:
            self._lose()
            raise ReadingLost("the reading process ended early") from error
        self.close(wait=True)

    def close(self, wait: bool = False) -> None:
        """Stop the reading process, if any: at once (a failed import), or, once everything
        was read back (`wait`), when it has ended by itself."""
        process, self._process = self._process, None
        if process is not None:
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    try:
                        stream.close()
                    except OSError:
                        pass
            try:
                process.wait(timeout=10 if wait else 0)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def _lose(self) -> None:
        self.close()
        self.lost = True


def _fields(ticket: Ticket) -> Fields:
    if not isinstance(ticket, Ticket):
        raise InvalidInput(
            "tickets", f"holds a {type(ticket).__name__}", "Pass Ticket records only"
        )
    return fields_of(ticket)


def _vocabulary(terms: list[str]) -> Vocabulary:
    return Vocabulary.restore(terms, np.zeros(0, dtype=np.int32), sys.maxsize)


def _start(subject_phrases: bool) -> subprocess.Popen[bytes] | None:
    """The reading process, or None when one cannot be started (then this one reads)."""
    package = Path(__file__).resolve().parents[2]  # so the child imports this very escdesk
    path = os.pathsep.join(p for p in (str(package), os.environ.get("PYTHONPATH")) if p)
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "escdesk.similarity.prepared", str(int(subject_phrases))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path},
        )
    except OSError:
        return None
    return process


def _send(stream: IO[bytes] | None, value: object) -> None:
    """One frame: its length, then the pickle (None: the end, as an empty frame)."""
    assert stream is not None
    payload = b"" if value is None else pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(payload)))
    stream.write(payload)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    """The next frame's value (None for the end); EOFError if the other side is gone."""
    head = stream.read(_FRAME.size)
    if len(head) < _FRAME.size:
        raise EOFError("the pipe closed")
    (size,) = _FRAME.unpack(head)
    if not size:
        return None
    payload = stream.read(size)
    if len(payload) < size:
        raise EOFError("the pipe closed mid-frame")
    return pickle.loads(payload)


def serve(source: IO[bytes], sink: IO[bytes], subject_phrases: bool) -> None:
    """The reading process: fields in until the end frame, then the vocabularies and each
    batch out (the batch freed once sent)."""
    prepared = Prepared(subject_phrases)
    while (rows := _receive(source)) is not None:
        prepared.add_fields(rows)
    prepared._close()
    known = [(terms, labels) for _, terms, labels in prepared._sealed]
    _send(sink, (prepared.terms.terms, prepared.labels.terms, known))
    for batch, _, _ in prepared._finished():
        _send(sink, batch)


class _Columns:
    """Own column → the index's column (-1 past its cap), learnt in own-column order."""

    def __init__(self, own: Vocabulary, index: Vocabulary) -> None:
        self._own, self._index = own, index
        self._map = np.zeros(0, dtype=np.int32)

    def up_to(self, size: int) -> npt.NDArray[np.int32]:
        if size > self._map.size:
            learn = self._index.learn
            more = [
                -1 if (c := learn(term)) is None else c
                for term in self._own.terms[self._map.size : size]
            ]
            self._map = np.concatenate([self._map, np.array(more, dtype=np.int32)])
        return self._map


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer, sys.argv[1:] == ["1"])
