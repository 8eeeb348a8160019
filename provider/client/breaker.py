"""Circuit breaker: after N consecutive failures, fail fast for a cool-down, then probe once.

Not provide-foundation's AsyncCircuitBreaker: once its cool-down ends it lets every
concurrent caller through (Terraform sends up to 10 at once), where half-open must admit a
single probe; and it reports an open circuit as a bare RuntimeError.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from provider.client.errors import SevallaError


class CircuitOpenError(SevallaError):
    """The API failed repeatedly; requests fail fast until the cool-down ends."""


class CircuitBreaker:
    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"

    def __init__(self, threshold: int, cooldown: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self._clock = clock
        self.state = self.CLOSED
        self.failures = 0
        self.trips = 0
        self._opened_at = 0.0
        self._probe_in_flight = False

    def before_call(self) -> bool:
        """Raise if the call must fail fast; True if this call is the half-open probe."""
        if self.state == self.CLOSED:
            return False
        if self.state == self.OPEN and self._clock() - self._opened_at >= self.cooldown:
            self.state = self.HALF_OPEN
        if self.state == self.HALF_OPEN and not self._probe_in_flight:
            self._probe_in_flight = True
            return True
        left = max(0.0, self.cooldown - (self._clock() - self._opened_at))
        raise CircuitOpenError(
            f"the Sevalla API failed {self.failures} times in a row; requests fail fast for "
            f"{left:.0f}s more, then one probe request tests whether it recovered"
        )

    def record_success(self, probe: bool) -> None:
        self.failures = 0
        if probe or self.state != self.CLOSED:
            self.state = self.CLOSED
        if probe:
            self._probe_in_flight = False

    def record_failure(self, probe: bool) -> None:
        self.failures += 1
        if probe:
            self._probe_in_flight = False
            self._open()
        elif self.state == self.CLOSED and self.failures >= self.threshold:
            self._open()

    def record_neutral(self, probe: bool) -> None:
        """An answer that says nothing about health (a 4xx): a probe that got one passed."""
        if probe:
            self.record_success(probe)

    def _open(self) -> None:
        self.state = self.OPEN
        self._opened_at = self._clock()
        self.trips += 1
