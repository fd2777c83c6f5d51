"""What a worker keeps in memory between requests: a bounded map, safe across threads.

Every kept thing in the app (published decree versions, which version is in force for an
office's revision and day, an office's service units, the citizen's blank form) is kept
under a key that names its content for good, so nothing kept is ever stale and nothing is
ever invalidated: a change makes a new key, and the oldest keys fall out once there are
``limit`` of them. This module only keeps; what makes each key right is said where it is made.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: What ``get`` returns for a key nothing is kept under (None may be a kept answer).
MISSING: object = object()

_every: list[Kept] = []


class Kept(Generic[K, V]):
    """At most ``limit`` values by key, the least recently used dropped first."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._values: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()
        _every.append(self)

    def get(self, key: K) -> V | object:
        """The value kept under ``key``, or ``MISSING``."""
        with self._lock:
            value = self._values.get(key, MISSING)
            if value is not MISSING:
                self._values.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self.limit:
                self._values.popitem(last=False)
        return value

    def get_or_make(self, key: K, make: Callable[[], V]) -> V:
        """The value under ``key``, made and kept when there is none (two threads may both make it)."""
        value = self.get(key)
        if value is MISSING:
            return self.put(key, make())
        return value  # type: ignore[return-value]

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._values

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


def forget_everything() -> None:
    """Empty everything this process keeps (tests that rebuild a database under the same ids)."""
    for kept in _every:
        kept.clear()
