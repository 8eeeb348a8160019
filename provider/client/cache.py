"""A TTL cache of GET results (cachetools), invalidated by writes.

- Keyed by the reference and the query parameters.
- A write drops the root object it belongs to (the top-level object), everything under it and
  the root's collection lists: a write to `applications/A/env-vars/E` drops `applications/A`,
  `applications/A/**` and the `applications` list. A POST to a top-level collection drops only
  that collection's lists (nothing else has changed).
- Errors are never stored.
- A read that began before a write to the same root does not store its (maybe stale) result:
  every root has a generation number that writes bump, and a store checks it is unchanged.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from cachetools import TTLCache

from provider.client.kinds import Ref

Key = tuple[Ref, tuple[tuple[str, str], ...]]


class ResponseCache:
    def __init__(self, *, enabled: bool, ttl: float, maxsize: int = 8192) -> None:
        self.enabled = enabled and ttl > 0
        self._entries: TTLCache[Key, Any] = TTLCache(maxsize=maxsize, ttl=max(ttl, 0.001))
        self._generations: Counter[Ref] = Counter()

    @staticmethod
    def key(ref: Ref, params: dict[str, Any] | None) -> Key:
        return ref, tuple(sorted((k, str(v)) for k, v in (params or {}).items()))

    def lookup(self, key: Key) -> tuple[bool, Any]:
        if not self.enabled or key not in self._entries:
            return False, None
        return True, copy.deepcopy(self._entries[key])

    def generation(self, ref: Ref) -> int:
        return self._generations[ref.root]

    def store(self, key: Key, value: Any, generation: int) -> None:
        if self.enabled and self.generation(key[0]) == generation:
            self._entries[key] = copy.deepcopy(value)

    def invalidate(self, ref: Ref) -> None:
        """After a write to `ref` (whether or not it succeeded: it may have happened)."""
        root = ref.root
        lists = root.collection()
        self._generations[root] += 1
        self._generations[lists] += 1
        for key in list(self._entries.keys()):
            cached = key[0]
            if cached == lists or cached.root == root:
                self._entries.pop(key, None)
