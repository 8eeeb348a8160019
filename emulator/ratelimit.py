"""The documented rate-limit tiers, counted in fixed in-memory windows.

A window opens at the first request of its (tier, scope) key and lasts the tier's length; the
reset header is the whole seconds left in it (at least 1 while it runs).
"""

from __future__ import annotations

import math

import attrs

from emulator.clock import Clock

COMPANY = "company"  # every key belongs to the emulator's one company

# Top-level service collections: a POST to one creates a service, PATCH/PUT/DELETE of one of their
# items mutates a service. Kinds added later (load balancers, pipelines, ...) are already here.
SERVICE_COLLECTIONS = frozenset(
    {"applications", "databases", "static-sites", "object-storage", "load-balancers", "pipelines", "projects"}
)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@attrs.frozen
class Tier:
    name: str
    limit: int
    windows: int  # length in units of the settings' rate window ("minutes")


CREATION = Tier("creation", 20, 60)
SERVICE_MUTATION = Tier("service_mutation", 10, 1)
DEPLOYMENT = Tier("deployment", 10, 1)
GENERAL_WRITE = Tier("general_write", 30, 1)
READ = Tier("read", 400, 1)


@attrs.frozen
class Decision:
    tier: Tier
    limit: int
    remaining: int
    reset_seconds: int
    allowed: bool

    def headers(self) -> dict[str, str]:
        return {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(self.remaining),
            "x-ratelimit-reset": str(self.reset_seconds),
        }


def classify(method: str, api_path: str) -> tuple[Tier, str]:
    """Tier and scope of a request; `api_path` is the path after /v3, e.g. "/applications/x"."""
    parts = [part for part in api_path.split("/") if part]
    method = method.upper()
    if method not in WRITE_METHODS:
        return READ, COMPANY
    is_service = bool(parts) and parts[0] in SERVICE_COLLECTIONS
    if method == "POST" and is_service and len(parts) == 1:
        return CREATION, COMPANY
    if method == "POST" and is_service and len(parts) == 3 and parts[2] == "deployments":
        return DEPLOYMENT, parts[1]
    if method != "POST" and is_service and len(parts) == 2:
        return SERVICE_MUTATION, parts[1]
    return GENERAL_WRITE, COMPANY


@attrs.define
class _Window:
    started: float
    count: int = 0


class RateLimiter:
    """Counts and refuses when `enforce` is True; otherwise only sends full-budget headers."""

    def __init__(self, window_seconds: float, *, enforce: bool, clock: Clock) -> None:
        self._window_seconds = window_seconds
        self._enforce = enforce
        self._clock = clock
        self._windows: dict[tuple[str, str], _Window] = {}

    def hit(self, tier: Tier, scope: str) -> Decision:
        """Count one request and say whether it may go through.

        With the tiers off nothing is counted: the headers announce a full budget, so a
        client that paces itself by them never waits.
        """
        if not self._enforce:
            return self._decision(tier, None, True)
        window = self._current(tier, scope, create=True)
        assert window is not None
        window.count += 1
        allowed = window.count <= tier.limit or not self._enforce
        return self._decision(tier, window, allowed)

    def peek(self, tier: Tier, scope: str) -> Decision:
        """The headers for a request that is not counted (e.g. one refused with 401)."""
        return self._decision(tier, self._current(tier, scope, create=False), True)

    def reset(self) -> None:
        self._windows.clear()

    def _length(self, tier: Tier) -> float:
        return self._window_seconds * tier.windows

    def _current(self, tier: Tier, scope: str, *, create: bool) -> _Window | None:
        now = self._clock()
        key = (tier.name, scope)
        window = self._windows.get(key)
        if window is not None and now - window.started >= self._length(tier):
            window = None
            del self._windows[key]
        if window is None and create:
            window = self._windows[key] = _Window(started=now)
        return window

    def _decision(self, tier: Tier, window: _Window | None, allowed: bool) -> Decision:
        length = self._length(tier)
        if window is None:
            return Decision(tier, tier.limit, tier.limit, max(1, math.ceil(length)), allowed)
        left = window.started + length - self._clock()
        return Decision(
            tier=tier,
            limit=tier.limit,
            remaining=max(0, tier.limit - window.count),
            reset_seconds=max(1, math.ceil(left)),
            allowed=allowed,
        )
