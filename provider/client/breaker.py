"""Circuit breaker: after N consecutive failures the circuit opens; requests then wait for
a single probe instead of all hammering a failing API, and go on when it answers.

- Closed: requests pass. `threshold` consecutive 5xx/connection failures open it.
- Open: nothing is sent. The first cool-down is short (`cooldown` / 16) and doubles after
  each failed probe, up to `cooldown`, so a blip costs seconds and a long outage little load.
- Half-open: one request is the probe; the others wait for its outcome.
- Waiting is bounded: by Terraform's Stop and the call's deadline (waiting.py), and by
  `patience` (how long an outage is waited out). A circuit that opened before the API ever
  answered this process (wrong URL, no network) fails at once: there is nothing to ride out.
  Every refusal names the last real failure, not just "open".

Not provide-foundation's AsyncCircuitBreaker: once its cool-down ends it lets every
concurrent caller through (Terraform sends up to 10 at once), where half-open must admit a
single probe; it fails fast where we wait; and it reports an open circuit as a bare RuntimeError.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from provider.client.errors import SevallaError
from provider.client.waiting import DeadlineExceeded, pause, wait_for_event

FIRST_COOLDOWN_SHARE = 1 / 16


class CircuitOpenError(SevallaError):
    """The API kept failing and did not recover within the time requests may wait for it."""


class CircuitBreaker:
    CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"

    def __init__(
        self,
        threshold: int,
        cooldown: float,
        patience: float = 120.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.threshold = threshold
        self.cooldown = cooldown
        self.patience = patience
        self._clock = clock
        self.state = self.CLOSED
        self.failures = 0
        self.trips = 0
        self.last_cause = ""
        self._answered_once = False
        self._opened_at = 0.0  # when the current outage began (the first trip)
        self._probe_at = 0.0
        self._current_cooldown = cooldown * FIRST_COOLDOWN_SHARE
        self._probe_in_flight = False
        self._settled = asyncio.Event()

    async def admit(self) -> bool:
        """Wait until a request may be sent; True if it is the half-open probe.

        Raises CircuitOpenError when the wait would outlast the outage patience or the
        call's deadline, or when the API never answered this process."""
        while True:
            if self.state == self.CLOSED:
                return False
            if not self._answered_once:
                raise self._refusal("the API has not answered this provider process yet")
            now = self._clock()
            waited = now - self._opened_at
            if self.state == self.OPEN and now >= self._probe_at:
                self.state = self.HALF_OPEN
            waiting_for_probe = self.state == self.HALF_OPEN and self._probe_in_flight
            if not waiting_for_probe and waited > self.patience:
                raise self._refusal(f"it did not recover in {self.patience:g}s")
            if self.state == self.HALF_OPEN and not self._probe_in_flight:
                self._probe_in_flight = True
                return True
            try:
                if self.state == self.OPEN:
                    await pause(
                        max(min(self._probe_at, self._opened_at + self.patience) - now, 0.01),
                        "the Sevalla API is failing; waiting to probe it",
                    )
                else:
                    await wait_for_event(self._settled, "the probe testing whether the Sevalla API recovered")
            except DeadlineExceeded as exc:
                raise self._refusal("the operation's timeout came first") from exc

    def in_outage(self) -> bool:
        """Whether a refused connection means an outage: the API did answer this process."""
        return self._answered_once

    def _refusal(self, why: str) -> CircuitOpenError:
        cause = f" Last failure: {self.last_cause}" if self.last_cause else ""
        return CircuitOpenError(
            f"the Sevalla API failed {self.failures} times in a row and requests stopped waiting "
            f"for it: {why}.{cause}"
        )

    def _settle(self) -> None:
        settled, self._settled = self._settled, asyncio.Event()
        settled.set()

    def record_success(self, probe: bool) -> None:
        self._answered_once = True
        self.failures = 0
        if probe or self.state != self.CLOSED:
            self.state = self.CLOSED
            self._current_cooldown = self.cooldown * FIRST_COOLDOWN_SHARE
        if probe:
            self._probe_in_flight = False
            self._settle()

    def record_failure(self, probe: bool, cause: str = "", *, answered: bool = False) -> None:
        """A 5xx (`answered`: the API is there but failing) or no answer at all."""
        self._answered_once = self._answered_once or answered
        self.failures += 1
        if cause:
            self.last_cause = cause
        if probe:
            self._probe_in_flight = False
            self._current_cooldown = min(self._current_cooldown * 2, self.cooldown)
            self._reopen()
            self._settle()
        elif self.state == self.CLOSED and self.failures >= self.threshold:
            self.trips += 1
            self._opened_at = self._clock()
            self._reopen()

    def record_neutral(self, probe: bool) -> None:
        """An answer that says nothing about health (a 4xx): the API is there; a probe passed."""
        self._answered_once = True
        if probe:
            self.record_success(probe)

    def abandon(self, probe: bool) -> None:
        """The attempt ended without an outcome (cancelled, stopped): let another probe."""
        if probe:
            self._probe_in_flight = False
            self._settle()

    def _reopen(self) -> None:
        self.state = self.OPEN
        self._probe_at = self._clock() + self._current_cooldown
