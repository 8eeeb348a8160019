"""Which failures are retried, and how long to wait (tenacity policies).

- 429: wait `x-ratelimit-reset`, else `Retry-After`, else the backoff. Any method.
- 5xx and transport errors: GET, PUT, PATCH, DELETE only (idempotent).
- POST: only when the request surely did nothing (429, or a connection that never opened).
  An ambiguous POST failure is reconciled by the client (it looks for the object first).
- Backoff: exponential with full jitter, base `retry_delay`.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import tenacity

from provider.client.errors import RateLimitedError, ServerError, TransportError
from provider.client.metrics import ClientMetrics
from provider.client.waiting import pause

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
MAX_BACKOFF = 30.0
T = TypeVar("T")


def is_retryable(method: str, exc: BaseException) -> bool:
    if isinstance(exc, RateLimitedError):
        return True
    if isinstance(exc, TransportError):
        return method in IDEMPOTENT or not exc.sent
    if isinstance(exc, ServerError):
        return method in IDEMPOTENT
    return False


def is_ambiguous(exc: BaseException) -> bool:
    """A failure after which a POST may or may not have created its object."""
    return isinstance(exc, ServerError) or (isinstance(exc, TransportError) and exc.sent)


def backoff(attempt: int, base: float) -> float:
    """Full jitter: uniform in [0, base * 2^(attempt-1)], capped."""
    return random.uniform(0, min(MAX_BACKOFF, base * 2 ** max(attempt - 1, 0)))


class _Wait(tenacity.wait.wait_base):
    def __init__(self, base: float) -> None:
        self.base = base

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, RateLimitedError) and exc.retry_after is not None:
            return exc.retry_after + random.uniform(0, 0.25)
        return backoff(retry_state.attempt_number, self.base)


async def with_retries(
    method: str,
    attempt: Callable[[], Awaitable[T]],
    *,
    retries: int,
    base_delay: float,
    metrics: ClientMetrics,
) -> T:
    def count(retry_state: tenacity.RetryCallState) -> None:
        metrics.retries += 1

    async def sleep(seconds: float) -> None:
        await pause(seconds, f"retrying {method} after a failure")

    retrying: tenacity.AsyncRetrying = tenacity.AsyncRetrying(
        stop=tenacity.stop_after_attempt(retries + 1),
        wait=_Wait(base_delay),
        retry=tenacity.retry_if_exception(lambda exc: is_retryable(method, exc)),
        sleep=sleep,
        before_sleep=count,
        reraise=True,
    )
    result: Any = await retrying(attempt)
    return result
