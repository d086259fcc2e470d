"""A small per-process cache of values derived from public data, expiring as it changes.

Keys are scoped by the public version and its time (tracker.public.index.state): when
anything public changes, they move and every entry made before is dropped at the next use. Each
worker keeps its own entries; nothing here is shared or private. With the benchmark's
routes on (TRACKER_BENCH_ROUTES), a request carrying X-Bench-Uncached computes the values
that answer its filters (`query=True`) afresh (tracker.bench.views): the database path.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any, TypeVar

from flask import g, has_request_context

T = TypeVar("T")


class VersionedCache:
    """Least-recently-used values for one public version at a time."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.version: Hashable = None
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.lock = Lock()

    def get(
        self, version: Hashable, key: Hashable, make: Callable[[], T], query: bool = False
    ) -> T:
        """The value for `key` at `version`, made (once per version and key) when missing.
        `query`: the value answers one visitor's filters (not names or other shared data)."""
        if query and has_request_context() and g.get("uncached"):  # the benchmark's "varied"
            fresh: dict[Hashable, Any] = g.setdefault("fresh", {})  # made once per request
            if key not in fresh:
                fresh[key] = make()
            return fresh[key]  # type: ignore[no-any-return]
        with self.lock:
            if version != self.version:
                self.entries.clear()
                self.version = version
            elif key in self.entries:
                self.entries.move_to_end(key)
                return self.entries[key]  # type: ignore[no-any-return]
        value = make()
        with self.lock:
            if version == self.version:
                self.entries[key] = value
                while len(self.entries) > self.size:
                    self.entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.version = None


figures = VersionedCache()
