"""Which ticket ids a file has used so far, in about 20 bytes per id.

Finding a repeated id means remembering every id, so this is the one part of an import whose
memory grows with the file. A Python set of the ids would cost ~100 bytes each (200 MB for a
10M-line export); instead each id is kept as its 64-bit hash in a sorted NumPy array, with the
line that used it. New ids collect in a small dict and are merged into the array in batches, and
a one-byte-per-slot filter answers "certainly new" for most ids without a search.

Two different ids with the same 64-bit hash would be reported as a repeat: with a million ids
the chance is about 1 in 30 million per file, well below the chance of a corrupt export.
"""

from __future__ import annotations

from bisect import bisect_left

import numpy as np

BATCH = 1 << 12


class SeenIds:
    """Remembers ids and the line each first appeared on."""

    def __init__(self) -> None:
        self._recent: dict[int, int] = {}
        self._keys = np.empty(0, dtype=np.int64)
        self._lines = np.empty(0, dtype=np.uint32)
        self._view = self._keys.data
        self._filter = bytearray(BATCH * 4)
        self._mask = len(self._filter) - 1

    def first_line(self, key: str, line: int) -> int | None:
        """Records `key` at `line`; returns the earlier line if the key was seen before."""
        h = hash(key)
        slot = h & self._mask
        if self._filter[slot]:
            earlier = self._recent.get(h)
            if earlier is not None:
                return earlier
            view = self._view
            i = bisect_left(view, h)
            if i < len(view) and view[i] == h:
                return int(self._lines[i])
        else:
            self._filter[slot] = 1
        self._recent[h] = line
        if len(self._recent) >= BATCH:
            self._merge()
        return None

    def _merge(self) -> None:
        count = len(self._recent)
        hashes = np.fromiter(self._recent.keys(), dtype=np.int64, count=count)
        lines = np.fromiter(self._recent.values(), dtype=np.uint32, count=count)
        order = hashes.argsort()
        hashes, lines = hashes[order], lines[order]
        at = self._keys.searchsorted(hashes)
        self._view.release()
        self._keys = np.insert(self._keys, at, hashes)
        self._lines = np.insert(self._lines, at, lines)
        self._view = self._keys.data
        self._recent = {}
        if self._keys.size * 4 > len(self._filter):
            self._grow_filter()

    def _grow_filter(self) -> None:
        size = len(self._filter)
        while self._keys.size * 4 > size:
            size *= 2
        self._mask = size - 1
        slots = np.zeros(size, dtype=np.uint8)
        slots[self._keys & self._mask] = 1
        self._filter = bytearray(slots.tobytes())
