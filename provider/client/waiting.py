"""Sleeping that Terraform can interrupt and that respects the operation's timeout.

Every wait in the client (rate-limit pacing, retry backoff, the circuit breaker, status
polling) goes through `pause` or `wait_for_event`, so a Ctrl-C (Terraform's Stop), a
resource's `timeouts` or the call's own deadline (`operation_timeout`) ends it promptly:
no wait is without an end.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import time
from collections.abc import Awaitable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import attrs
from pyvider.common.stop_signal import is_stop_requested

from provider.client.errors import SevallaError

log = logging.getLogger("sevalla.client")

T = TypeVar("T")

LOG_WAITS_LONGER_THAN = 1.0  # shorter pauses (pacing) are logged at DEBUG only
_SLICE = 0.25

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("sevalla_deadline", default=None)


@attrs.frozen
class WaitRecord:
    """A wait that ended well: what was waited for, how long, the statuses seen on the way."""

    what: str
    seconds: float
    statuses: tuple[str, ...] = ()

    def summary(self) -> str:
        seen = f" ({' -> '.join(self.statuses)})" if len(self.statuses) > 1 else ""
        return f"{self.what}: {self.seconds:.0f}s{seen}"


_waits: contextvars.ContextVar[list[WaitRecord] | None] = contextvars.ContextVar(
    "sevalla_waits", default=None
)


@contextmanager
def recording_waits() -> Iterator[list[WaitRecord]]:
    """Collect the waits that end well inside the block (an RPC), for a warning diagnostic on
    the long ones: the user sees them without TF_LOG."""
    found: list[WaitRecord] = []
    token = _waits.set(found)
    try:
        yield found
    finally:
        _waits.reset(token)


def _recorded(record: WaitRecord) -> None:
    found = _waits.get()
    if found is not None:
        found.append(record)


def waited(seconds: float, reason: str) -> None:
    """Tell a wait that is over (one whose length was not known when it began: a third-party
    wait, a connection of the pool), if it lasted a second or more."""
    if seconds >= LOG_WAITS_LONGER_THAN:
        log.info(f"waited {seconds:.1f}s: {reason}", extra={"fields": {"wait_seconds": round(seconds, 1)}})
        _recorded(WaitRecord(reason, seconds))


def _deadline_text() -> str:
    left = seconds_left()
    return "" if left is None else f", deadline in {max(left, 0):.0f}s"


class Progress:
    """One wait for an object's status, told at INFO: when it starts (what, why, the deadline),
    on every status change, and when it ends (how long)."""

    def __init__(self, what: str, why: str) -> None:
        self.what, self.why = what, why
        self.started = time.monotonic()
        self.statuses: list[str] = []
        log.info(f"waiting for {what}: {why}{_deadline_text()}", extra={"fields": {"wait_for": what}})

    def saw(self, status: object) -> None:
        text = str(status)
        if self.statuses and self.statuses[-1] == text:
            return
        if self.statuses:
            log.info(
                f"{self.what}: {self.statuses[-1]} -> {text} after {self.elapsed():.1f}s",
                extra={"fields": {"wait_for": self.what, "status": text}},
            )
        self.statuses.append(text)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def done(self) -> None:
        seconds = self.elapsed()
        log.info(
            f"{self.what}: {self.why} after {seconds:.1f}s",
            extra={"fields": {"wait_seconds": round(seconds, 1)}},
        )
        _recorded(WaitRecord(f"{self.what} ({self.why})", seconds, tuple(self.statuses)))

    def gave_up(self, reason: str) -> None:
        log.info(f"{self.what}: stopped waiting after {self.elapsed():.1f}s: {reason}")


class StopRequested(SevallaError):
    """Terraform asked the provider to stop while it was waiting."""


class DeadlineExceeded(SevallaError):
    """A wait would outlast the operation's timeout."""


@contextmanager
def operation_deadline(seconds: float) -> Iterator[None]:
    """Bound every wait inside the block (a resource's create/update/delete timeout)."""
    deadline = time.monotonic() + seconds
    outer = _deadline.get()
    token = _deadline.set(deadline if outer is None else min(outer, deadline))
    try:
        yield
    finally:
        _deadline.reset(token)


@contextmanager
def default_deadline(seconds: float) -> Iterator[None]:
    """Bound the block by `seconds` unless an operation deadline is already set: a resource's
    own `timeouts` win over the provider-wide `operation_timeout`."""
    if _deadline.get() is not None:
        yield
        return
    with operation_deadline(seconds):
        yield


def seconds_left() -> float | None:
    deadline = _deadline.get()
    return None if deadline is None else deadline - time.monotonic()


async def pause(seconds: float, reason: str, *, told: bool = True) -> None:
    """Sleep `seconds`, unless Terraform stops us or the operation's deadline comes first.

    A pause of a second or more (a backoff, a rate-limit or outage wait) is logged at INFO when
    it starts and ends, and recorded for the RPC's long-wait warning; `told=False`: a poll's
    pause, which its Progress tells."""
    if seconds <= 0:
        return
    left = seconds_left()
    if left is not None and seconds > left:
        raise DeadlineExceeded(
            f"waiting {seconds:.1f}s ({reason}) would pass the operation's timeout ({max(left, 0):.1f}s left)"
        )
    loud = told and seconds >= LOG_WAITS_LONGER_THAN
    if loud:
        log.info(
            f"waiting {seconds:.1f}s: {reason}{_deadline_text()}",
            extra={"fields": {"wait_seconds": round(seconds, 1)}},
        )
    elif told:
        log.debug(f"waiting {seconds:.3f}s: {reason}")
    end = time.monotonic() + seconds
    while True:
        if is_stop_requested():
            raise StopRequested(f"stopped while waiting ({reason}): Terraform asked the provider to stop")
        remaining = end - time.monotonic()
        if remaining <= 0:
            break
        await asyncio.sleep(min(_SLICE, remaining))
    if loud:
        log.info(f"waited {seconds:.1f}s: {reason}")
        _recorded(WaitRecord(reason, seconds))


async def wait_for(awaitable: Awaitable[T], reason: str) -> T:
    """Await `awaitable` (a third-party wait, e.g. aiolimiter's bucket), but end it on Stop or
    at the deadline like every other wait: it is cancelled, and StopRequested/DeadlineExceeded raised."""
    task = asyncio.ensure_future(awaitable)
    started = time.monotonic()
    try:
        while True:
            if is_stop_requested():
                raise StopRequested(f"stopped while waiting ({reason}): Terraform asked the provider to stop")
            left = seconds_left()
            if left is not None and left <= 0:
                raise DeadlineExceeded(f"the operation's timeout passed while waiting ({reason})")
            done, _ = await asyncio.wait({task}, timeout=_SLICE if left is None else min(_SLICE, left))
            if done:
                waited(time.monotonic() - started, reason)
                return task.result()
    finally:
        if not task.done():
            task.cancel()


async def wait_for_event(event: asyncio.Event, reason: str) -> None:
    """Wait until `event` is set (woken by it, no polling delay), unless Terraform stops us
    or the deadline passes first."""
    if not event.is_set():
        await wait_for(event.wait(), reason)
