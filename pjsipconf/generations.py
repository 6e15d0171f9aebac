"""A memo of what the last build made, for the next one: each build keeps only what it used.

The server's rebuilds reuse typed objects (model.reuse) and replay unchanged files (conf.replay)
from the build before; holding only what the last successful build used keeps the memo the size
of one build, however long the server runs.
"""

from __future__ import annotations

from typing import Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Generations(Generic[K, V]):
    """The values of the previous build by key, and those this build used or made so far."""

    def __init__(self) -> None:
        self._previous: dict[K, V] = {}
        self._current: dict[K, V] = {}

    def find(self, key: K) -> V | None:
        """The value for `key` (from the last build, or made earlier in this one); it is kept."""
        found = self._previous.get(key)
        if found is None:
            return self._current.get(key)
        self._current[key] = found
        return found

    def keep(self, key: K, value: V) -> None:
        self._current[key] = value

    def build_done(self) -> None:
        """The build succeeded: what it used becomes what the next build may reuse."""
        self._previous, self._current = self._current, {}

    def build_failed(self) -> None:
        self._current = {}
