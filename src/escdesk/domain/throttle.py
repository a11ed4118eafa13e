"""Sign-in throttling (R-OPS-2): wrong passwords in a row make the next attempt wait.

Counted per account (the e-mail address typed, whether or not it has an account, so the pause
tells nobody which addresses exist) and per client address (which gets four times the free
attempts: an office behind one address has many people). After the free attempts, each
further wrong password doubles the wait, from 1 s up to `max_delay`. An attempt made while a
wait runs is refused before anything is checked — no password hash is computed for it. A right
password clears the account's count (and says how many were wrong, so the person can be told).

State is kept in memory by each server process, bounded in size (the oldest keys go first):
a restart forgets it, which only ever lets an attacker start counting again.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta

ADDRESS_FACTOR = 4
CAPACITY = 50_000
FORGET_AFTER = timedelta(hours=24)


@dataclass
class Failures:
    count: int
    last: datetime
    throttled: bool = False


@dataclass(frozen=True)
class Pause:
    """A running wait: whose it is (`account` or `address`) and how many seconds are left."""

    kind: str
    seconds: int


class SignInThrottle:
    def __init__(self, free_attempts: int = 5, max_delay: float = 900.0) -> None:
        self.free_attempts = free_attempts
        self.max_delay = max_delay
        self._failures: OrderedDict[tuple[str, str], Failures] = OrderedDict()
        self._lock = threading.Lock()

    def delay(self, kind: str, count: int) -> float:
        """Seconds to wait after `count` wrong passwords in a row."""
        free = self.free_attempts * (ADDRESS_FACTOR if kind == "address" else 1)
        if count < free:
            return 0.0
        return float(min(2.0 ** min(count - free, 40), self.max_delay))

    def pause(self, keys: dict[str, str], now: datetime) -> Pause | None:
        """The longest wait running for any of `keys` (kind → key), or None."""
        longest: Pause | None = None
        with self._lock:
            for kind, key in keys.items():
                entry = self._failures.get((kind, key))
                if entry is None:
                    continue
                until = entry.last + timedelta(seconds=self.delay(kind, entry.count))
                left = (until - now).total_seconds()
                if left > 0 and (longest is None or left > longest.seconds):
                    longest = Pause(kind, max(1, math.ceil(left)))
        return longest

    def failed(self, keys: dict[str, str], now: datetime) -> dict[str, int]:
        """Count a wrong password; returns the kinds that became throttled by it, with their
        count (an event for the trail), once per run of failures."""
        started: dict[str, int] = {}
        with self._lock:
            for kind, key in keys.items():
                entry = self._failures.pop((kind, key), None)
                if entry is None or now - entry.last > FORGET_AFTER:
                    entry = Failures(0, now)
                entry.count += 1
                entry.last = now
                if not entry.throttled and self.delay(kind, entry.count) > 0:
                    entry.throttled = True
                    started[kind] = entry.count
                self._failures[(kind, key)] = entry
            while len(self._failures) > CAPACITY:
                self._failures.popitem(last=False)
        return started

    def succeeded(self, account: str) -> int:
        """The right password: the account starts afresh. Returns the wrong passwords before
        it if they had throttled the account (0 otherwise)."""
        with self._lock:
            entry = self._failures.pop(("account", account), None)
        return entry.count if entry is not None and entry.throttled else 0


def wait_words(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"
