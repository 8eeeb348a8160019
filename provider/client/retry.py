"""Which failures are retried, and how long to wait (tenacity policies).

- 429: wait `x-ratelimit-reset`, else `Retry-After`, else the backoff. Any method, as often
  as it comes: a 429 spends no retry, only time, bounded by the call's deadline.
- 5xx, unreadable answers and transport errors: GET, PUT, PATCH, DELETE only (idempotent);
  each spends one of `retry_attempts`.
- POST: only when the request surely did nothing (429, or a connection that never opened).
  An ambiguous POST failure is reconciled by the client (it looks for the object first).
- A connection that never opened, during an outage (the API answered this process before),
  spends no retry either: the circuit breaker decides how long an outage is waited out.
- Backoff: exponential with full jitter, base `retry_delay`.
"""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import tenacity

from provider.client.errors import RateLimitedError, ServerError, TransportError, UnexpectedAnswerError
from provider.client.metrics import ClientMetrics
from provider.client.waiting import DeadlineExceeded, pause

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})
MAX_BACKOFF = 30.0
T = TypeVar("T")


def is_retryable(method: str, exc: BaseException) -> bool:
    if isinstance(exc, RateLimitedError):
        return True
    if isinstance(exc, TransportError):
        return method in IDEMPOTENT or not exc.sent
    if isinstance(exc, ServerError | UnexpectedAnswerError):
        return method in IDEMPOTENT
    return False


def is_ambiguous(exc: BaseException) -> bool:
    """A failure after which a POST may or may not have created its object."""
    return isinstance(exc, ServerError | UnexpectedAnswerError) or (
        isinstance(exc, TransportError) and exc.sent
    )


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
    in_outage: Callable[[], bool] = lambda: False,
) -> T:
    """Run `attempt` with the policy above; `in_outage()` says whether a refused connection is
    an outage of an API that answered before (free retry) or maybe a wrong URL (spends one)."""
    spent = 0

    def stop(retry_state: tenacity.RetryCallState) -> bool:
        nonlocal spent
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, RateLimitedError):
            return False
        if isinstance(exc, TransportError) and not exc.sent and in_outage():
            return False
        spent += 1
        return spent > retries

    def count(retry_state: tenacity.RetryCallState) -> None:
        metrics.retries += 1

    async def sleep(seconds: float) -> None:
        await pause(seconds, f"retrying {method} after a failure")

    retrying: tenacity.AsyncRetrying = tenacity.AsyncRetrying(
        stop=stop,
        wait=_Wait(base_delay),
        retry=tenacity.retry_if_exception(lambda exc: is_retryable(method, exc)),
        sleep=sleep,
        before_sleep=count,
        reraise=True,
    )
    last: list[BaseException] = []

    async def remembered() -> T:
        try:
            return await attempt()
        except Exception as exc:
            last[:] = [exc]
            raise

    try:
        result: Any = await retrying(remembered)
    except DeadlineExceeded as exc:
        if not last or last[0] is exc:
            raise
        # The wait for the next retry would pass the deadline: report the failure itself.
        raise DeadlineExceeded(f"{last[0]} (no time left to retry: {exc})") from last[0]
    return result
