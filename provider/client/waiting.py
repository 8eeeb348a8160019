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

from pyvider.common.stop_signal import is_stop_requested

from provider.client.errors import SevallaError

log = logging.getLogger("sevalla.client")

T = TypeVar("T")

LOG_WAITS_LONGER_THAN = 5.0
_SLICE = 0.25

_deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("sevalla_deadline", default=None)


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


async def pause(seconds: float, reason: str) -> None:
    """Sleep `seconds`, unless Terraform stops us or the operation's deadline comes first."""
    if seconds <= 0:
        return
    left = seconds_left()
    if left is not None and seconds > left:
        raise DeadlineExceeded(
            f"waiting {seconds:.1f}s ({reason}) would pass the operation's timeout ({max(left, 0):.1f}s left)"
        )
    if seconds > LOG_WAITS_LONGER_THAN:
        log.info(f"waiting {seconds:.1f}s: {reason}", extra={"fields": {"wait_seconds": round(seconds, 1)}})
    end = time.monotonic() + seconds
    while True:
        if is_stop_requested():
            raise StopRequested(f"stopped while waiting ({reason}): Terraform asked the provider to stop")
        remaining = end - time.monotonic()
        if remaining <= 0:
            return
        await asyncio.sleep(min(_SLICE, remaining))


async def wait_for(awaitable: Awaitable[T], reason: str) -> T:
    """Await `awaitable` (a third-party wait, e.g. aiolimiter's bucket), but end it on Stop or
    at the deadline like every other wait: it is cancelled, and StopRequested/DeadlineExceeded raised."""
    task = asyncio.ensure_future(awaitable)
    try:
        while True:
            if is_stop_requested():
                raise StopRequested(f"stopped while waiting ({reason}): Terraform asked the provider to stop")
            left = seconds_left()
            if left is not None and left <= 0:
                raise DeadlineExceeded(f"the operation's timeout passed while waiting ({reason})")
            done, _ = await asyncio.wait({task}, timeout=_SLICE if left is None else min(_SLICE, left))
            if done:
                return task.result()
    finally:
        if not task.done():
            task.cancel()


async def wait_for_event(event: asyncio.Event, reason: str) -> None:
    """Wait until `event` is set (woken by it, no polling delay), unless Terraform stops us
    or the deadline passes first."""
    if not event.is_set():
        await wait_for(event.wait(), reason)
