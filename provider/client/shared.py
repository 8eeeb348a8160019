"""The one door to Redis (`shared_state_url`): one rate-limit budget for a fleet of provider processes
(and, built on this door, the shared reads of sharedreads.py).

Sevalla's limits are per company, so every provider process using the same API URL and key (the
many `terraform plan`s of a CI fleet) draws from one counter per (tier, scope) here, taken
atomically, and corrected by the API's own `x-ratelimit-remaining` / `x-ratelimit-reset`.

Why redis-py with server-side scripts rather than `limits`' Redis storage: the count must follow the
API (set to its `remaining`, expiring at its `reset`), which `limits` (hit/test on its own clock and
window boundaries) cannot express; three short Lua scripts take, correct and exhaust a window
atomically, one round trip each. redis-py reloads a script that a restarted Redis forgot.

Keys: `sevalla:v1:<hash of API URL and key>:rl:<tier>:<hash of scope>`, each an integer (requests left
in the window) with an expiry no longer than its window (the tier's length, then the server's reset),
so nothing outlives its window and nothing secret is stored: names are hashes, values counts.

Fallback: every call is bounded by `TIMEOUT`; any failure (unreachable, slow, restarted, refused,
a bad password) answers None ("no opinion") and the caller goes on with its local limits. The first
failure of a process logs one WARNING; Redis is then tried again at most every `RETRY_AFTER`
seconds, and an answer after a failure is logged at INFO. A flushed Redis is a fresh window,
corrected by the next answer's headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from provider.client.metrics import ClientMetrics

if TYPE_CHECKING:  # redis-py is imported only when shared_state_url is set (about 0.17 s per start)
    from redis.asyncio import Redis

log = logging.getLogger("sevalla.client")

T = TypeVar("T")

TIMEOUT = 1.0  # seconds for one Redis call, connecting included (a busy event loop counts too)
RETRY_AFTER = 5.0  # seconds between attempts once Redis has failed
SLACK_SECONDS = 2.0  # how much later a server window may end than ours and still be the same one
SLACK = int(SLACK_SECONDS * 1000)  # ms, for the scripts

# KEYS[1] window; ARGV limit, window ms. -> {1 granted | 0 spent, ms until the window resets}
_TAKE = """
local left = redis.call('GET', KEYS[1])
if not left then
  redis.call('SET', KEYS[1], tonumber(ARGV[1]) - 1, 'PX', ARGV[2])
  return {1, tonumber(ARGV[2])}
end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  ttl = tonumber(ARGV[2])
end
if tonumber(left) > 0 then
  redis.call('DECR', KEYS[1])
  return {1, ttl}
end
return {0, ttl}
"""

# KEYS[1] window; ARGV server's remaining, server's reset ms. Within the same server window keep
# the lower count (requests taken here may not have reached the server yet) and its end (any
# answer's reset, a whole second rounded up, is a bound on it). A server window ending more than
# `SLACK` ms after ours is a new one (the reset's rounding plus this answer's delay are below it):
# take its count.
_CORRECT = """
local server = tonumber(ARGV[1])
local reset = tonumber(ARGV[2])
local left = redis.call('GET', KEYS[1])
if left then
  local ttl = redis.call('PTTL', KEYS[1])
  if ttl + tonumber(ARGV[3]) >= reset and tonumber(left) < server then server = tonumber(left) end
end
redis.call('SET', KEYS[1], server, 'PX', reset)
return server
"""

# KEYS[1] window; ARGV reset ms: a 429 says the window is spent, whatever the count said.
_EXHAUST = """
redis.call('SET', KEYS[1], 0, 'PX', ARGV[1])
return 0
"""


def namespace(api_url: str, api_key: str) -> str:
    """The key prefix of one (API URL, API key): a hash, so neither appears in Redis."""
    digest = hashlib.sha256(f"terraform-provider-sevalla shared state\0{api_url}\0{api_key}".encode())
    return f"sevalla:v1:{digest.hexdigest()[:32]}"


def where(url: str) -> str:
    """host:port of a Redis URL, for log lines (never the password or user)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}:{parts.port or 6379}"


def _ms(seconds: float) -> int:
    return max(int(seconds * 1000), 1)


class SharedState:
    def __init__(
        self,
        redis: Redis,
        prefix: str,
        *,
        label: str = "redis",
        metrics: ClientMetrics | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        from redis.exceptions import RedisError

        self._failures: tuple[type[BaseException], ...] = (RedisError, OSError, TimeoutError)
        self.redis = redis
        self._metrics = metrics or ClientMetrics()
        self.prefix = prefix
        self._label = label
        self._clock = clock
        self._take = redis.register_script(_TAKE)
        self._correct = redis.register_script(_CORRECT)
        self._exhaust = redis.register_script(_EXHAUST)
        self._warned = False
        self._down_until: float | None = None  # set while Redis is failing
        self._pending: set[asyncio.Task[Any]] = set()

    @classmethod
    def from_url(
        cls, url: str, api_url: str, api_key: str, metrics: ClientMetrics | None = None
    ) -> SharedState:
        """No connection yet (the first call makes it, within TIMEOUT); no retries inside redis-py:
        a failure falls back at once."""
        from redis.asyncio import Redis
        from redis.asyncio.retry import Retry
        from redis.backoff import NoBackoff

        redis = Redis.from_url(
            url,
            socket_timeout=TIMEOUT,
            socket_connect_timeout=TIMEOUT,
            retry=Retry(NoBackoff(), 0),
            health_check_interval=0,
        )
        return cls(redis, namespace(api_url, api_key), label=where(url), metrics=metrics)

    def key(self, tier: str, scope: str) -> str:
        scope_hash = hashlib.sha256(scope.encode()).hexdigest()[:16]
        return f"{self.prefix}:rl:{tier.replace(' ', '_')}:{scope_hash}"

    @property
    def available(self) -> bool:
        """False while Redis is failing and not yet due for another try."""
        return self._down_until is None or self._clock() >= self._down_until

    async def call(self, what: str, call: Callable[[], Awaitable[T]]) -> T | None:
        """`call()`'s answer, or None when Redis fails or is down (one fallback for every use)."""
        if not self.available:
            return None
        try:
            result = await asyncio.wait_for(call(), TIMEOUT)
        except self._failures as exc:
            self._failed(what, exc)
            return None
        if self._down_until is not None:
            self._down_until = None
            log.info(f"shared state {self._label} answers again: shared rate limits and reads resumed")
        return result

    def _failed(self, what: str, exc: BaseException) -> None:
        """WARNING at a process's first failure, INFO at the start of a later outage, DEBUG for
        the calls that were under way with it and the tries that find Redis still down."""
        self._metrics.shared_state_failures += 1
        already_down = self._down_until is not None
        self._down_until = self._clock() + RETRY_AFTER
        message = (
            f"shared state {self._label} failed ({what}: {type(exc).__name__}); falling back to this "
            f"process's own rate limits and reads, trying again every {RETRY_AFTER:g}s"
        )
        if not self._warned:
            self._warned = True
            log.warning(message)
        elif not already_down:
            log.info(message)
        else:
            log.debug(message)

    async def take(self, tier: str, scope: str, limit: int, window: float) -> float | None:
        """One request from the shared window: 0 if granted, else the seconds until it resets;
        None when Redis cannot say (the caller relies on its local limits)."""
        answer = await self.call(
            "take", lambda: self._take(keys=[self.key(tier, scope)], args=[limit, _ms(window)])
        )
        if answer is None:
            return None
        granted, ttl = int(answer[0]), int(answer[1])
        return 0.0 if granted else max(ttl, 1) / 1000

    async def correct(self, tier: str, scope: str, remaining: int, reset: float) -> None:
        """Follow the API's answer: `remaining` left, the window resets in `reset` seconds."""
        await self.call(
            "correct",
            lambda: self._correct(keys=[self.key(tier, scope)], args=[max(remaining, 0), _ms(reset), SLACK]),
        )

    async def exhaust(self, tier: str, scope: str, reset: float) -> None:
        await self.call("exhaust", lambda: self._exhaust(keys=[self.key(tier, scope)], args=[_ms(reset)]))

    def soon(self, call: Awaitable[None]) -> None:
        """Run a correction without making the caller wait (the limits' `observe` is synchronous)."""
        task = asyncio.ensure_future(call)
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def aclose(self) -> None:
        """Let the last corrections land (bounded), then close the connections."""
        if self._pending:
            await asyncio.wait(self._pending, timeout=TIMEOUT)
        with contextlib.suppress(*self._failures):
            await asyncio.wait_for(self.redis.aclose(), TIMEOUT)
