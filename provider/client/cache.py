"""A TTL cache of GET results (cachetools), invalidated by writes.

- Keyed by path and query parameters.
- A write drops the written object, everything under it, its parent object and the
  parent's collections: a write to `applications/A/env-vars/E` drops `applications/A`,
  `applications/A/**` and the `applications` list.
- Errors are never stored.
- A read that began before a write to the same object does not store its (maybe stale) result:
  every object has a generation number that writes bump, and a store checks it is unchanged.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from cachetools import TTLCache

Key = tuple[str, tuple[tuple[str, str], ...]]


def _parts(path: str) -> list[str]:
    return [part for part in path.split("?")[0].split("/") if part]


def scope_of(path: str) -> str:
    """The object a path belongs to: `applications/A` for anything under it."""
    return "/".join(_parts(path)[:2])


class ResponseCache:
    def __init__(self, *, enabled: bool, ttl: float, maxsize: int = 8192) -> None:
        self.enabled = enabled and ttl > 0
        self._entries: TTLCache[Key, Any] = TTLCache(maxsize=maxsize, ttl=max(ttl, 0.001))
        self._generations: Counter[str] = Counter()

    @staticmethod
    def key(path: str, params: dict[str, Any] | None) -> Key:
        return "/".join(_parts(path)), tuple(sorted((k, str(v)) for k, v in (params or {}).items()))

    def lookup(self, key: Key) -> tuple[bool, Any]:
        if not self.enabled or key not in self._entries:
            return False, None
        return True, copy.deepcopy(self._entries[key])

    def generation(self, path: str) -> int:
        return self._generations[scope_of(path)]

    def store(self, key: Key, value: Any, generation: int) -> None:
        if self.enabled and self.generation(key[0]) == generation:
            self._entries[key] = copy.deepcopy(value)

    def invalidate(self, path: str) -> None:
        """After a write to `path` (whether or not it succeeded: it may have happened)."""
        parts = _parts(path)
        scope = "/".join(parts[:2])
        collection = parts[0] if parts else ""
        self._generations[scope] += 1
        self._generations[collection] += 1
        for key in list(self._entries.keys()):
            cached = key[0]
            if cached in (scope, collection) or cached.startswith(scope + "/"):
                self._entries.pop(key, None)
