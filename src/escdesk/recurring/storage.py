"""Saving and loading the index: a directory of `.npy` arrays and JSON, never pickle.

NumPy's format is read with `allow_pickle=False`, so loading an index file cannot run code, and
big arrays can be memory-mapped instead of read. A save writes a fresh directory and swaps it in
with a rename, so a crash mid-save leaves the previous index intact (R-OPS-4: nothing is partly
written).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any, Literal

import numpy as np
import scipy.sparse as sp

from escdesk.domain.errors import InvalidInput, NotFound
from escdesk.recurring.index import SimilarityIndex
from escdesk.recurring.segments import Bm25f, Segment
from escdesk.recurring.vocabulary import Vocabulary

FORMAT = "escdesk-similarity-index"
VERSION = 1
_ROWS = ("created", "subject_length", "body_length", "label_codes", "alive")
_MATRICES = ("subject", "body", "tags", "weights")


def save(index: SimilarityIndex, directory: Path) -> None:
    directory = directory.resolve()
    directory.parent.mkdir(parents=True, exist_ok=True)
    fresh = directory.with_name(f".{directory.name}.saving-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    for name in _ROWS:
        np.save(fresh / f"{name}.npy", getattr(index, name))
    np.save(fresh / "df.npy", index.vocabulary.df)
    np.save(fresh / "label_df.npy", index.labels.df)
    segments = []
    for number, segment in enumerate(index.segments):
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
    _write_json(fresh / "terms.json", index.vocabulary.terms)
    _write_json(fresh / "labels.json", index.labels.terms)
    _write_json(fresh / "ids.json", index.ids)
    meta = {
        "format": FORMAT,
        "version": VERSION,
        "bm25f": vars(index.bm25f),
        "max_terms": index.vocabulary.max_terms,
        "rerank": index.reranker is not None,
        "segments": segments,
    }
    _write_json(fresh / "meta.json", meta)
    retired = directory.with_name(f".{directory.name}.retired-{os.getpid()}")
    if directory.exists():
        directory.rename(retired)
    fresh.rename(directory)
    shutil.rmtree(retired, ignore_errors=True)


def load(directory: Path, mmap: bool = False) -> SimilarityIndex:
    if not (directory / "meta.json").is_file():
        raise NotFound("similarity index", directory)
    try:
        return _load(directory, mmap)
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        raise InvalidInput(
            "index", f"at {directory} cannot be read ({error})", "Rebuild it from the tickets"
        ) from error


def _load(directory: Path, mmap: bool) -> SimilarityIndex:
    meta = json.loads((directory / "meta.json").read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT or meta.get("version") != VERSION:
        raise ValueError(f"format {meta.get('format')} version {meta.get('version')}")
    mode: Literal["r"] | None = "r" if mmap else None

    def array(name: str) -> Any:
        return np.load(directory / f"{name}.npy", mmap_mode=mode, allow_pickle=False)

    index = SimilarityIndex(Bm25f(**meta["bm25f"]), rerank=bool(meta["rerank"]))
    index.vocabulary = Vocabulary.restore(_read_json(directory / "terms.json"), array("df"),
                                          meta["max_terms"])  # fmt: skip
    index.labels = Vocabulary.restore(
        _read_json(directory / "labels.json"), array("label_df"), meta["max_terms"]
    )
    index.ids = list(_read_json(directory / "ids.json"))
    for name in _ROWS:
        setattr(index, name, np.array(array(name)))  # small and mutable: always in memory
    index.rows = {key: row for row, key in enumerate(index.ids) if index.alive[row]}
    for number, entry in enumerate(meta["segments"]):
        matrices = {}
        for name in _MATRICES:
            parts = [array(f"segment{number}_{name}_{p}") for p in ("data", "indices", "indptr")]
            kind = sp.csc_matrix if name == "weights" and entry["columnwise"] else sp.csr_matrix
            matrices[name] = kind(tuple(parts), shape=tuple(entry["shapes"][name]), copy=False)
        index.segments.append(Segment(start=int(entry["start"]), **matrices))
    if len(index.ids) != index.alive.size or len(index.ids) != sum(s.rows for s in index.segments):
        raise ValueError("ids and rows disagree")
    return index


def _write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def _read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))
