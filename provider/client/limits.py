"""Two layers of client-side rate limiting.

1. A token bucket (aiolimiter) caps the sustained request rate and the burst.
2. Tier pacing knows Sevalla's documented budgets (reads 400/min per company, creates
   20/hour, changes 10/min per service, deployments 10/min per service, other writes
   30/min) and follows the server's own `x-ratelimit-remaining` / `x-ratelimit-reset`:
   when a window's budget is spent, callers wait for its reset instead of earning a 429.
3. With `shared_state_url`, each window is also drawn from a counter in Redis shared by every
   provider process of the same API URL and key (shared.py), so concurrent Terraform runs do not
   each spend the company's budget. Without Redis (or when it fails) layers 1 and 2 work alone.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Callable, Mapping

import attrs
from aiolimiter import AsyncLimiter

from provider.client.kinds import Ref, Writes
from provider.client.metrics import ClientMetrics
from provider.client.shared import SLACK_SECONDS as SLACK
from provider.client.shared import SharedState
from provider.client.waiting import pause, wait_for, wait_for_event


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
LONGEST_WINDOW = max(tier.window for tier in (READ, CREATION, SERVICE_MUTATION, DEPLOYMENT, GENERAL_WRITE))


def classify(method: str, ref: Ref) -> tuple[Tier, str]:
    """The tier a request counts against, and its scope (the company, or one service)."""
    writes = ref.kind.writes
    if method == "GET":
        return READ, "company"
    if method == "POST" and writes is Writes.SERVICE and ref.is_collection:
        return CREATION, "company"
    if method == "POST" and writes is Writes.DEPLOYMENT and ref.parent is not None:
        return DEPLOYMENT, str(ref.parent.id)
    if method != "POST" and writes is Writes.SERVICE and ref.id is not None:
        return SERVICE_MUTATION, ref.id
    return GENERAL_WRITE, "company"


@attrs.define
class Window:
    """What we believe about one (tier, scope) window: requests left, and when it resets."""

    limit: int
    remaining: int
    resets_at: float | None = None
    # Until a first answer tells us the server's count (other processes share it), one request
    # at a time: the probe. The others wait for `changed`, set when the probe ends either way.
    known: bool = False
    probing: bool = False
    changed: asyncio.Event = attrs.field(factory=asyncio.Event)

    def notify(self) -> None:
        """Wake every request waiting on this window (a fresh event for the next wait)."""
        changed, self.changed = self.changed, asyncio.Event()
        changed.set()


@attrs.frozen
class Permit:
    """One request's place in its window; handed back to `observe` when the attempt ends."""

    tier: Tier
    scope: str
    probe: bool = False


NO_LIMITS = Permit(GENERAL_WRITE, "company")


class RateLimits:
    def __init__(
        self,
        *,
        enabled: bool,
        per_second: float,
        burst: int,
        metrics: ClientMetrics,
        shared: SharedState | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.enabled = enabled
        self.shared = shared if enabled else None
        self._bucket = AsyncLimiter(max_rate=burst, time_period=burst / per_second)
        self._windows: dict[tuple[str, str], Window] = {}
        self._metrics = metrics
        self._clock = clock

    def _window(self, tier: Tier, scope: str) -> Window:
        window = self._windows.get((tier.name, scope))
        if window is None:
            window = self._windows[(tier.name, scope)] = Window(limit=tier.limit, remaining=tier.limit)
        if window.resets_at is not None and self._clock() >= window.resets_at:
            # A new window: its first request asks the server's count again (requests still in
            # flight from the old one, and other processes, may already have spent some).
            window.remaining, window.resets_at, window.known = window.limit, None, False
        return window

    async def acquire(self, method: str, ref: Ref) -> Permit:
        """Wait until this request fits both the bucket and its tier's window.

        Every wait ends on Terraform's Stop or the call's deadline (waiting.py). The permit
        must go back through `observe` whatever happens to the attempt, so a probe that never
        got an answer hands its turn to the next request instead of blocking the window.
        """
        if not self.enabled:
            return NO_LIMITS
        tier, scope = classify(method, ref)
        probe = False
        while True:
            window = self._window(tier, scope)
            if not window.known:
                if window.probing:
                    await wait_for_event(window.changed, f"the first {tier.name} request's answer")
                    continue
                window.probing = probe = True
            if window.remaining > 0:
                window.remaining -= 1
                break
            if probe:  # nothing to probe with: let the others look again after the reset
                window.probing = probe = False
                window.notify()
            # Budget spent: wait for the reset the server announced (or a whole window).
            resets_at = window.resets_at or self._clock() + tier.window
            wait = max(resets_at - self._clock(), 0.05)
            self._metrics.waited(wait)
            await pause(
                wait, f"{tier.name} rate limit ({window.limit} per window) spent; waiting for its reset"
            )
            if window.resets_at is None:
                window.remaining = window.limit
        permit = Permit(tier, scope, probe)
        try:
            await self._shared_turn(tier, scope, window.limit)
            started = self._clock()
            if self._bucket.has_capacity():
                await self._bucket.acquire()
            else:
                await wait_for(self._bucket.acquire(), "the client's request rate (rate_limit_per_second)")
        except BaseException:
            self.observe(permit, {})
            raise
        waited = self._clock() - started
        if waited > 0.001:
            self._metrics.waited(waited)
        return permit

    async def _shared_turn(self, tier: Tier, scope: str, limit: int) -> None:
        """Wait until the fleet's shared window (Redis) grants this request; no Redis, no wait.

        Fairness: every process takes from one counter in arrival order, its own token bucket
        spreading its requests, so none drains a window at once; a process refused waits for the
        window's reset plus a random fraction of a second, so the same one is not always first.
        """
        if self.shared is None:
            return
        while (wait := await self.shared.take(tier.name, scope, limit, tier.window)) is not None and wait > 0:
            wait += random.uniform(0.0, min(0.25, wait / 10))
            self._metrics.waited(wait)
            self._metrics.shared_state_waits += 1
            await pause(
                wait, f"shared {tier.name} rate limit ({limit} per window) spent; waiting for its reset"
            )

    def observe(self, permit: Permit, headers: Mapping[str, str]) -> None:
        """Follow the server's view of the window (it also counts other clients of the company).

        Called once per permit when its attempt ends: with the answer's headers, or with none
        when there was no answer (refused, cancelled, stopped).
        """
        if not self.enabled:
            return
        window = self._window(permit.tier, permit.scope)
        try:
            remaining = int(headers["x-ratelimit-remaining"])
            reset = float(headers["x-ratelimit-reset"])
            limit = int(headers.get("x-ratelimit-limit", remaining))
            counted = math.isfinite(reset) and limit > 0
        except (KeyError, ValueError):
            counted = False
        if counted:
            window.limit = limit
            resets_at = self._clock() + min(max(reset, 0.0), LONGEST_WINDOW)
            if window.resets_at is not None and resets_at > window.resets_at + SLACK:
                # The server's window ends well after ours: a new one began (an answer of the old
                # one had said 0 left): its count, not the lower of the two.
                window.remaining = remaining
            else:
                window.remaining = min(window.remaining, remaining)
            window.resets_at = resets_at
            window.known = True
            if self.shared is not None and permit is not NO_LIMITS:
                bounded = min(max(reset, 0.0), LONGEST_WINDOW)
                self.shared.soon(self.shared.correct(permit.tier.name, permit.scope, remaining, bounded))
        elif permit.probe and headers:
            window.known = True  # an answer without rate-limit headers: nothing to wait for
        if permit.probe:
            window.probing = False
            window.notify()

    def exhaust(self, permit: Permit, reset: float) -> None:
        """A 429 says the window is spent, whatever we believed."""
        window = self._window(permit.tier, permit.scope)
        window.remaining = 0
        window.resets_at = self._clock() + reset
        if self.shared is not None and permit is not NO_LIMITS:
            self.shared.soon(self.shared.exhaust(permit.tier.name, permit.scope, min(reset, LONGEST_WINDOW)))
