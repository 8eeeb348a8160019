"""Two layers of client-side rate limiting.

1. A token bucket (aiolimiter) caps the sustained request rate and the burst.
2. Tier pacing knows Sevalla's documented budgets (reads 400/min per company, creates
   20/hour, changes 10/min per service, deployments 10/min per service, other writes
   30/min) and follows the server's own `x-ratelimit-remaining` / `x-ratelimit-reset`:
   when a window's budget is spent, callers wait for its reset instead of earning a 429.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping

import attrs
from aiolimiter import AsyncLimiter

from provider.client.metrics import ClientMetrics
from provider.client.waiting import pause

SERVICE_COLLECTIONS = frozenset(
    {"applications", "databases", "static-sites", "object-storage", "load-balancers", "pipelines", "projects"}
)


@attrs.frozen
class Tier:
    name: str
    limit: int
    window: float  # seconds


READ = Tier("read", 400, 60.0)
CREATION = Tier("creation", 20, 3600.0)
SERVICE_MUTATION = Tier("service mutation", 10, 60.0)
DEPLOYMENT = Tier("deployment", 10, 60.0)
GENERAL_WRITE = Tier("general write", 30, 60.0)


def classify(method: str, path: str) -> tuple[Tier, str]:
    """The tier a request counts against, and its scope (the company, or one service)."""
    parts = [part for part in path.split("?")[0].split("/") if part]
    if method == "GET":
        return READ, "company"
    is_service = bool(parts) and parts[0] in SERVICE_COLLECTIONS and parts[1:2] != ["global-env-vars"]
    if method == "POST" and is_service and len(parts) == 1:
        return CREATION, "company"
    if method == "POST" and is_service and len(parts) == 3 and parts[2] == "deployments":
        return DEPLOYMENT, parts[1]
    if method != "POST" and is_service and len(parts) == 2:
        return SERVICE_MUTATION, parts[1]
    return GENERAL_WRITE, "company"


@attrs.define
class Window:
    """What we believe about one (tier, scope) window: requests left, and when it resets."""

    limit: int
    remaining: int
    resets_at: float | None = None
    # Until a first answer tells us the server's count (other processes share it), one request at a time.
    known: asyncio.Event = attrs.field(factory=asyncio.Event)
    probing: bool = False


class RateLimits:
    def __init__(
        self,
        *,
        enabled: bool,
        per_second: float,
        burst: int,
        metrics: ClientMetrics,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self._bucket = AsyncLimiter(max_rate=burst, time_period=burst / per_second)
        self._windows: dict[tuple[str, str], Window] = {}
        self._metrics = metrics
        self._clock = clock

    def _window(self, tier: Tier, scope: str) -> Window:
        window = self._windows.get((tier.name, scope))
        if window is None:
            window = self._windows[(tier.name, scope)] = Window(limit=tier.limit, remaining=tier.limit)
        if window.resets_at is not None and self._clock() >= window.resets_at:
            window.remaining, window.resets_at = window.limit, None
        return window

    async def acquire(self, method: str, path: str) -> None:
        """Wait until this request fits both the bucket and its tier's window."""
        if not self.enabled:
            return
        tier, scope = classify(method, path)
        while True:
            window = self._window(tier, scope)
            if not window.known.is_set():
                if window.probing:
                    await window.known.wait()
                    continue
                window.probing = True
            if window.remaining > 0:
                window.remaining -= 1
                break
            # Budget spent: wait for the reset the server announced (or a whole window).
            resets_at = window.resets_at or self._clock() + tier.window
            wait = max(resets_at - self._clock(), 0.05)
            self._metrics.waited(wait)
            await pause(
                wait, f"{tier.name} rate limit ({window.limit} per window) spent; waiting for its reset"
            )
            if window.resets_at is None:
                window.remaining = window.limit
        started = self._clock()
        await self._bucket.acquire()
        waited = self._clock() - started
        if waited > 0.001:
            self._metrics.waited(waited)

    def observe(self, method: str, path: str, headers: Mapping[str, str]) -> None:
        """Follow the server's view of the window (it also counts other clients of the company).

        Called after every attempt, with empty headers when there was no answer.
        """
        if not self.enabled:
            return
        tier, scope = classify(method, path)
        window = self._window(tier, scope)
        window.known.set()
        try:
            remaining = int(headers["x-ratelimit-remaining"])
            reset = float(headers["x-ratelimit-reset"])
            limit = int(headers.get("x-ratelimit-limit", remaining))
        except (KeyError, ValueError):
            return
        window.limit = limit
        window.remaining = min(window.remaining, remaining)
        window.resets_at = self._clock() + reset

    def exhaust(self, method: str, path: str, reset: float) -> None:
        """A 429 says the window is spent, whatever we believed."""
        tier, scope = classify(method, path)
        window = self._window(tier, scope)
        window.remaining = 0
        window.resets_at = self._clock() + reset
