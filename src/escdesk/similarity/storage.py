"""Saving and loading an index: NumPy arrays and JSON, never pickle; safe with many processes.

NumPy's format is read with `allow_pickle=False`, so loading an index file cannot run code, and
big arrays can be memory-mapped instead of read.

Several processes share one index directory (`escdesk serve --workers N`, a CLI import beside a
running server). A directory holds generations, as LevelDB holds its files behind `CURRENT`:

    <directory>/.lock      flock: saves take it exclusively, loads shared
    <directory>/CURRENT    JSON naming the live generation and what it was built from
    <directory>/g-…/       one complete index

A save writes a fresh generation, then replaces `CURRENT` in one `os.replace` (atomic on POSIX
and Windows) and removes the older generations. A crash mid-save leaves the previous index
intact (R-OPS-4: nothing is partly written); a reader never sees half an index; and because
saves are serialised by the lock, a writer can decline to replace a newer index with an older
one (`unless`). Memory-mapped readers keep their arrays after a generation is removed (POSIX
keeps unlinked files alive while mapped).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.similarity.corpus import Corpus, CorpusState
from escdesk.similarity.segments import Bm25f, Segment
from escdesk.similarity.vocabulary import Vocabulary

try:  # POSIX; without it (Windows) saves stay atomic, only not serialised between processes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

FORMAT = "escdesk-similarity-index"
VERSION = 2
CURRENT = "CURRENT"
LOCK = ".lock"
_ROWS = ("created", "subject_length", "body_length", "label_codes", "alive")
_MATRICES = ("subject", "body", "tags", "weights")
# Files of the single-directory layout of earlier versions, removed by the first new save.
_LEGACY = re.compile(
    r"^(meta|terms|labels|ids|escdesk-built-from)\.json$|^escdesk-ticket-ids\.npy$"
    r"|^(created|subject_length|body_length|label_codes|alive|df|label_df)\.npy$"
    r"|^segment\d+_\w+\.npy$"
)


@dataclass(frozen=True)
class Saved:
    """What `load` read: the corpus, the caller's metadata and arrays saved beside it."""

    corpus: Corpus
    meta: dict[str, Any]
    arrays: dict[str, npt.NDArray[Any]]


@contextmanager
def locked(directory: Path, *, shared: bool) -> Iterator[None]:
    """Hold the directory's lock: shared for reading, exclusive for writing."""
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / LOCK, "a+b") as handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def current_meta(directory: Path) -> dict[str, Any] | None:
    """The metadata of the live generation, or None when there is none (read without a lock:
    `CURRENT` is only ever replaced whole)."""
    try:
        meta = json.loads((directory / CURRENT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) else None


def save(
    corpus: Corpus,
    directory: Path,
    *,
    meta: Mapping[str, Any] | None = None,
    arrays: Mapping[str, npt.NDArray[Any]] | None = None,
    unless: Callable[[dict[str, Any]], bool] | None = None,
) -> bool:
    """Write a new generation and make it the live one; returns False (writing nothing) when
    `unless` says the live generation's metadata makes this save pointless."""
    directory = directory.resolve()
    with locked(directory, shared=False):
        live = current_meta(directory)
        if unless is not None and live is not None and unless(live):
            return False
        name = f"g-{time.time_ns():x}-{os.getpid()}"
        _write_generation(corpus.state(), directory / name, dict(arrays or {}))
        pointer = directory / f"{CURRENT}.{os.getpid()}.tmp"
        _write_json(pointer, {**dict(meta or {}), "generation": name})
        os.replace(pointer, directory / CURRENT)
        _remove_all_but(directory, name)
    return True


def load(directory: Path, *, mmap: bool = False, arrays: tuple[str, ...] = ()) -> Saved:
    """The live generation; NotFound when there is none, InvalidInput when it cannot be read."""
    if not (directory / CURRENT).is_file():
        raise NotFound("similarity index", directory)  # and leave no directory behind
    with locked(directory, shared=True):
        meta = current_meta(directory)
        if meta is None or not isinstance(meta.get("generation"), str):
            raise NotFound("similarity index", directory)
        generation = directory / meta["generation"]
        try:
            corpus, extra = _read_generation(generation, mmap, arrays)
        except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
            raise InvalidInput(
                "index", f"at {directory} cannot be read ({error})", "Rebuild it from the tickets"
            ) from error
    return Saved(corpus, meta, extra)


def _write_generation(state: CorpusState, fresh: Path, arrays: dict[str, npt.NDArray[Any]]) -> None:
    fresh.mkdir()
    for name in _ROWS:
        np.save(fresh / f"{name}.npy", getattr(state, name))
    np.save(fresh / "df.npy", state.vocabulary.df)
    np.save(fresh / "label_df.npy", state.labels.df)
    for name, values in arrays.items():
        np.save(fresh / f"attached_{name}.npy", values)
    segments = []
    for number, segment in enumerate(state.segments):
        for name in _MATRICES:
            matrix = getattr(segment, name)
            for part in ("data", "indices", "indptr"):
                np.save(fresh / f"segment{number}_{name}_{part}.npy", getattr(matrix, part))
        segments.append(
            {
                "start": segment.start,
                "shapes": {name: list(getattr(segment, name).shape) for name in _MATRICES},
                "columnwise": isinstance(segment.weights, sp.csc_matrix),
            }
        )
    _write_json(fresh / "terms.json", state.vocabulary.terms)
    _write_json(fresh / "labels.json", state.labels.terms)
    _write_json(fresh / "ids.json", state.ids)
    _write_json(
        fresh / "meta.json",
        {
            "format": FORMAT,
            "version": VERSION,
            "bm25f": vars(state.bm25f),
            "max_terms": state.vocabulary.max_terms,
            "segments": segments,
        },
    )


def _read_generation(
    directory: Path, mmap: bool, wanted: tuple[str, ...]
) -> tuple[Corpus, dict[str, npt.NDArray[Any]]]:
    meta = _read_json(directory / "meta.json")
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise ValueError(f"format {meta.get('format')} version {meta.get('version')}")
    mode: Literal["r"] | None = "r" if mmap else None

    def array(name: str) -> Any:
        return np.load(directory / f"{name}.npy", mmap_mode=mode, allow_pickle=False)

    max_terms = meta["max_terms"]
    segments = []
    for number, entry in enumerate(meta["segments"]):
        matrices: dict[str, Any] = {}
        for name in _MATRICES:
            parts = [array(f"segment{number}_{name}_{p}") for p in ("data", "indices", "indptr")]
            kind = sp.csc_matrix if name == "weights" and entry["columnwise"] else sp.csr_matrix
            matrices[name] = kind(tuple(parts), shape=tuple(entry["shapes"][name]), copy=False)
        segments.append(Segment(start=int(entry["start"]), **matrices))
    state = CorpusState(
        bm25f=Bm25f(**meta["bm25f"]),
        vocabulary=Vocabulary.restore(_read_json(directory / "terms.json"), array("df"), max_terms),
        labels=Vocabulary.restore(
            _read_json(directory / "labels.json"), array("label_df"), max_terms
        ),  # fmt: skip
        ids=list(_read_json(directory / "ids.json")),
        segments=segments,
        **{name: np.array(array(name)) for name in _ROWS},  # small and mutable: in memory
    )
    extra = {name: np.array(array(f"attached_{name}")) for name in wanted}
    return Corpus.restore(state), extra


def _remove_all_but(directory: Path, keep: str) -> None:
    """Older generations, stray pointer files of crashed saves, the layout of earlier versions."""
    for entry in directory.iterdir():
        if entry.name in (keep, CURRENT, LOCK):
            continue
        if entry.is_dir() and entry.name.startswith("g-"):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(f"{CURRENT}.") or _LEGACY.match(entry.name):
            entry.unlink(missing_ok=True)


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
