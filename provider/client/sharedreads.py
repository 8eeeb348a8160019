"""Shared reads (`shared_state_url`): GET answers one provider process fetched, reused by the
others of the fleet (other Terraform runs, other machines) within `cache_ttl`.

The requester's one seam: every GET that misses the in-memory cache goes through `SharedReads.get`,
every write through `SharedReads.invalidate`. Why each choice:

- **What is shared: every GET answer** (pages of the summary lists, child lists, objects), not only
  the reader's full objects: 20 cold runs of one workspace need the same child lists and objects,
  and sharing only the full objects would leave each run its own child lists (the larger part).
- **Grouped by root** (the top-level object a path belongs to, as in cache.py): a write by any run
  bumps the generation of its root and of the root's collection (the summary list shows its
  `updated_at`) and drops their entries, so the next read of any run fetches again.
- **No stale store after a write**: a read takes the group's generation with its lookup, before its
  GET, and its store is refused when a write bumped it meanwhile (one script, atomic); a read older
  than `GENERATION_TTL` does not store at all (the generation key may have expired).
- **The disk cache's rule still holds**: a full object whose summary shows another `updated_at` or
  `status` is read afresh by the reader (`fresh`: no lookup), and that answer replaces the shared
  copy. A change made outside Terraform shows at most `cache_ttl` later (what every cache here
  allows); lower `cache_ttl` to shorten it.
- **One fetch for many runs (single flight)**: a miss takes a short lock (`SET NX PX LOCK_TTL`, in
  the lookup's script, so nobody stores and unlocks between the two); the others poll the entry
  (backing off to 0.25 s) until it is there, the lock is gone, or `LOCK_TTL` passed, and then fetch
  themselves: a holder that died or waits for the rate limit blocks nobody for long. Polling rather
  than pub/sub: no second connection, nothing to subscribe to again after a restart, and the waits
  are short.
- **Sealed**: bodies are encrypted and authenticated (AES-GCM, sealing.py) under a key derived from
  the API key, bound to their key and field, with their wall-clock time inside (older than the TTL:
  ignored). Fields a create returns once (`Kind.create_only`: an API key's token) are removed
  before storing; only GET answers are stored, never a create's.
- **Names hashed**: `sevalla:v1:<hash of API URL and key>:rd:{<HMAC of root>}:gen|data|lock:<HMAC
  of path and query>`; the HMAC key is derived from the API key, so no id or path can be confirmed
  by guessing. The root's hash in braces keeps a group in one Redis Cluster slot.
- **Bounded**: a group's hash expires `cache_ttl` after its last store, a generation
  `GENERATION_TTL` after its last write, a lock after `LOCK_TTL`; entries over `MAX_ENTRY` bytes are
  not stored.
- **Faults**: every call goes through SharedState's bounded call and its one-WARNING fallback; a
  failed lookup is a miss, a failed store is nothing: the run carries on with its own fetches. A
  failed invalidation is kept: sent again when Redis answers (before anything else) and when the
  process ends, and until then this process neither uses nor stores that group's entries. Only if
  Redis stays unreachable to the writer until it ends can another run see the copy from before the
  write, for at most `cache_ttl`.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from provider.client.kinds import Ref
from provider.client.metrics import ClientMetrics
from provider.client.sealing import Sealer
from provider.client.shared import SharedState
from provider.client.waiting import pause

if TYPE_CHECKING:
    from provider.settings import ProviderSettings

log = logging.getLogger("sevalla.client")

LOCK_TTL = 10.0  # seconds: how long one process may hold a fetch for the others
POLL_FIRST = 0.05  # seconds before the first look for another process's answer, doubling
POLL_MOST = 0.25
GENERATION_TTL = 3600.0  # seconds a write's generation is remembered (a read older than this never stores)
MAX_ENTRY = 512 * 1024  # bytes of a sealed answer; larger ones are not shared
SKEW = 30.0  # seconds another machine's clock may be ahead of ours

# KEYS generation, data, lock; ARGV field, lock token ('' : do not lock), lock ttl ms ->
# {generation, sealed entry or false, lock: 0 free, 1 another process's, 2 ours now}. Locking in the
# same step as the miss: no other process can store and release between our look and our lock.
_LOOKUP = """
local generation = redis.call('GET', KEYS[1]) or '0'
local entry = redis.call('HGET', KEYS[2], ARGV[1])
local lock = 0
if redis.call('EXISTS', KEYS[3]) == 1 then
  lock = 1
elseif not entry and ARGV[2] ~= '' then
  redis.call('SET', KEYS[3], ARGV[2], 'PX', ARGV[3])
  lock = 2
end
return {generation, entry, lock}
"""

# KEYS generation, data, lock; ARGV generation seen, field, sealed entry, ttl ms, lock token.
# Stored only if no write bumped the generation since the lookup; our lock is released either way.
_STORE = """
local stored = 0
if (redis.call('GET', KEYS[1]) or '0') == ARGV[1] and ARGV[3] ~= '' then
  redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[2], ARGV[4])
  stored = 1
end
if ARGV[5] ~= '' and redis.call('GET', KEYS[3]) == ARGV[5] then redis.call('DEL', KEYS[3]) end
return stored
"""

# KEYS generation, data; ARGV generation ttl ms: a write happened in this group.
_INVALIDATE = """
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
return 1
"""


def _ms(seconds: float) -> int:
    return max(int(seconds * 1000), 1)


class SharedReads:
    def __init__(
        self,
        state: SharedState,
        api_key: str,
        ttl: float,
        *,
        metrics: ClientMetrics | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._state = state
        self._names = hashlib.sha256(f"terraform-provider-sevalla shared names\0{api_key}".encode()).digest()
        self._sealer = Sealer.derived("shared reads", api_key)
        self._ttl = ttl
        self._metrics = metrics or ClientMetrics()
        self._clock = clock
        redis = state.redis
        self._lookup = redis.register_script(_LOOKUP)
        self._store = redis.register_script(_STORE)
        self._invalidate = redis.register_script(_INVALIDATE)
        # Groups written by this process whose invalidation Redis has not taken: their shared
        # entries may predate our write, so they are neither used nor stored until it has.
        self._unsent: dict[tuple[str, str], None] = {}

    @classmethod
    def of(
        cls, state: SharedState | None, settings: ProviderSettings, metrics: ClientMetrics
    ) -> SharedReads | None:
        """Shared reads need Redis and the cache (`cache_enabled`, a `cache_ttl` above 0)."""
        if state is None or not settings.cache_enabled or settings.cache_ttl <= 0:
            return None
        return cls(state, settings.api_key, settings.cache_ttl, metrics=metrics)

    # --- names -----------------------------------------------------------------------------------

    def _hash(self, text: str) -> str:
        return hmac.new(self._names, text.encode(), hashlib.sha256).hexdigest()[:32]

    def _group(self, root: Ref) -> tuple[str, str]:
        """The generation and data keys of a root's group."""
        base = f"{self._state.prefix}:rd:{{{self._hash(root.path)}}}"
        return f"{base}:gen", f"{base}:data"

    def _field(self, ref: Ref, params: dict[str, Any] | None) -> str:
        query = "&".join(f"{k}={v}" for k, v in sorted((params or {}).items()))
        return self._hash(f"{ref.path}?{query}")

    def _keys(self, ref: Ref, params: dict[str, Any] | None) -> tuple[list[str], str]:
        generation, data = self._group(ref.root)
        field = self._field(ref, params)
        return [generation, data, f"{data.removesuffix(':data')}:lock:{field}"], field

    # --- reads -----------------------------------------------------------------------------------

    async def _look(self, keys: list[str], field: str, token: str = "") -> tuple[str, Any, int] | None:
        """(generation, the body if a live entry is there, the lock: 0 free, 1 another process
        fetches, 2 we do now, for `token`), or None when Redis cannot say."""
        answer = await self._state.call(
            "lookup", lambda: self._lookup(keys=keys, args=[field, token, _ms(LOCK_TTL)])
        )
        if answer is None:
            return None
        generation, blob, lock = answer
        record = self._sealer.open(f"{keys[1]}/{field}", blob) if blob else None
        written = record.get("written_at") if record else None
        live = isinstance(written, int | float) and -SKEW <= self._clock() - written <= self._ttl
        body = record.get("body") if record and live else None
        text = generation.decode() if isinstance(generation, bytes) else str(generation)
        return text, body, int(lock)

    async def get(
        self,
        ref: Ref,
        params: dict[str, Any] | None,
        fetch: Callable[[], Awaitable[Any]],
        *,
        fresh: bool = False,
    ) -> Any:
        """The shared answer to this GET if another process fetched it within the TTL, else
        `fetch()`'s, shared. `fresh`: never a shared answer, but ours replaces it."""
        keys, field = self._keys(ref, params)
        if self._unsent:
            await self.flush()
            if (keys[0], keys[1]) in self._unsent:
                return await fetch()
        token = "" if fresh else os.urandom(12).hex()
        seen = await self._look(keys, field, token)
        if seen is None:
            return await fetch()  # Redis failing: on our own
        generation, body, lock = seen
        if body is not None and not fresh:
            self._metrics.shared_cache_hits += 1
            return body
        if lock != 2:
            token = ""
        if lock == 1 and not fresh:
            waited = await self._wait_for_other(keys, field)
            if waited is None:
                return await fetch()
            generation, body, _ = waited
            if body is not None:
                self._metrics.shared_cache_hits += 1
                self._metrics.shared_cache_waits += 1
                return body
        started = self._clock()
        try:
            value = await fetch()
        except BaseException:
            if token:
                await self._share(keys, field, generation, None, token)
            raise
        fresh_enough = self._clock() - started < GENERATION_TTL
        await self._share(
            keys, field, generation, ref.without_create_only(value) if fresh_enough else None, token
        )
        return value

    async def _wait_for_other(self, keys: list[str], field: str) -> tuple[str, Any, int] | None:
        """Poll until the lock holder's answer is there, its lock is gone, or LOCK_TTL passed; the
        last look (None: Redis cannot say)."""
        deadline = time.monotonic() + LOCK_TTL
        interval = POLL_FIRST
        while True:
            await pause(interval, "another provider process fetching the same read", told=False)
            seen = await self._look(keys, field)
            if seen is None or seen[1] is not None or seen[2] != 1 or time.monotonic() >= deadline:
                return seen
            interval = min(interval * 2, POLL_MOST)

    async def _share(self, keys: list[str], field: str, generation: str, value: Any, token: str) -> None:
        blob = b""
        if value is not None:
            record = {"written_at": self._clock(), "body": value}
            blob = self._sealer.seal(f"{keys[1]}/{field}", record)
            if len(blob) > MAX_ENTRY:
                blob = b""
        if not blob and not token:
            return
        await self._state.call(
            "store",
            lambda: self._store(keys=keys, args=[generation, field, blob, _ms(self._ttl), token]),
        )

    # --- writes ----------------------------------------------------------------------------------

    async def invalidate(self, ref: Ref) -> None:
        """After a write to `ref` (whether or not it succeeded): its root's group and the root's
        collection's (the summary list) are dropped for every process. One Redis could not take
        is kept and sent again at the next call that finds Redis answering, and at the end."""
        root = ref.root
        for group in (root, root.collection()):
            self._unsent[self._group(group)] = None
        await self.flush()

    async def flush(self) -> None:
        """Send the invalidations Redis has not taken yet (in order; stops at the first failure)."""
        for keys in list(self._unsent):
            if await self._bump(keys) is None:
                return
            self._unsent.pop(keys, None)

    async def _bump(self, keys: tuple[str, str]) -> Any:
        return await self._state.call(
            "invalidate", lambda: self._invalidate(keys=list(keys), args=[_ms(GENERATION_TTL)])
        )
