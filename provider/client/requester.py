"""One API exchange and what surrounds it: the layer every read and write goes through.

Each request passes, in order: the in-memory cache (GETs), the rate limits, the circuit
breaker, the pooled transport; failures go through the retry policy. Concurrent GETs of the
same reference and parameters share one request (with batching on). Writes invalidate the
cache. It knows references and answers, nothing of batching, disk or reconciliation: the
reader (reader.py) and the client (client.py) are built on it.
"""

from __future__ import annotations

import asyncio
import copy
from typing import TYPE_CHECKING, Any

from provider.client.answers import Expect, decode_answer
from provider.client.breaker import CircuitBreaker
from provider.client.cache import Key, ResponseCache
from provider.client.errors import RateLimitedError, TransportError
from provider.client.kinds import Ref
from provider.client.limits import NO_LIMITS, RateLimits
from provider.client.metrics import ClientMetrics, route_of
from provider.client.retry import with_retries
from provider.client.shared import SharedState
from provider.client.sharedreads import SharedReads
from provider.client.transport import PAGE_LIMIT, Transport, decode_error
from provider.client.waiting import default_deadline

if TYPE_CHECKING:
    from provider.settings import ProviderSettings


def _items(body: Any) -> tuple[list[dict[str, Any]], int | None]:
    """A list answer (checked by answers.decode_answer): a bare array, or {data: [...], total: N};
    items that are not objects are left out."""
    page = body if isinstance(body, list) else body["data"]
    total = body.get("total") if isinstance(body, dict) else None
    items = [item for item in page if isinstance(item, dict)]
    return items, int(total) if isinstance(total, int) and not isinstance(total, bool) else None


class Requester:
    def __init__(self, settings: ProviderSettings, user_agent: str, metrics: ClientMetrics) -> None:
        self.settings = settings
        self.metrics = metrics
        self.cache = ResponseCache(enabled=settings.cache_enabled, ttl=settings.cache_ttl)
        self.shared = (
            SharedState.from_url(settings.shared_state_url, settings.api_url, settings.api_key, metrics)
            if settings.shared_state_url and (settings.rate_limit_enabled or settings.cache_enabled)
            else None
        )
        self.limits = RateLimits(
            enabled=settings.rate_limit_enabled,
            per_second=settings.rate_limit_per_second,
            burst=settings.rate_limit_burst,
            metrics=metrics,
            shared=self.shared,
        )
        # Past the in-memory cache, GETs meet the other processes' answers here (sharedreads.py).
        self.shared_reads = SharedReads.of(self.shared, settings, metrics)
        self.breaker = CircuitBreaker(
            settings.breaker_threshold, settings.breaker_cooldown, patience=settings.outage_timeout
        )
        self._transport = Transport(settings, user_agent, metrics)
        self._in_flight: dict[Key, asyncio.Future[Any]] = {}

    # --- one HTTP exchange -------------------------------------------------------------------

    async def _attempt(
        self, method: str, ref: Ref, body: Any, params: dict[str, Any] | None, expect: Expect
    ) -> Any:
        path = ref.path
        probe = await self.breaker.admit()
        outcome = False
        permit = NO_LIMITS
        headers: Any = {}
        try:
            permit = await self.limits.acquire(method, ref)
            self.metrics.routes[route_of(method, ref)] += 1
            try:
                response = await self._transport.send(method, path, json_body=body, params=params)
            except TransportError as exc:
                outcome = True
                self.breaker.record_failure(probe, str(exc))
                raise
            headers = response.headers
            status = response.status_code
            outcome = True
            if status < 400:
                self.breaker.record_success(probe)
                return decode_answer(response, method, path, expect)
            error = decode_error(response, method, path)
            if status >= 500:
                self.breaker.record_failure(probe, str(error), answered=True)
            else:
                self.breaker.record_neutral(probe)
            if isinstance(error, RateLimitedError):
                self.metrics.responses_429 += 1
                self.limits.exhaust(permit, error.retry_after or 1.0)
            raise error
        finally:
            # Whatever ended the attempt (an answer, no answer, Stop, cancellation), the rate
            # limiter and the breaker hear of it: a probe never leaves others waiting forever.
            self.limits.observe(permit, headers)
            if not outcome:
                self.breaker.abandon(probe)

    async def request(
        self,
        method: str,
        ref: Ref,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        expect: Expect = "optional",
    ) -> Any:
        """One API call with the retry policy (no cache), bounded by the call's deadline: the
        resource's timeouts, else `operation_timeout`. After a write the cache forgets what it
        may have changed, whether or not it succeeded."""

        async def attempt() -> Any:
            return await self._attempt(method, ref, body, params, expect)

        try:
            with default_deadline(self.settings.operation_timeout):
                return await with_retries(
                    method,
                    attempt,
                    retries=self.settings.retry_attempts,
                    base_delay=self.settings.retry_delay,
                    metrics=self.metrics,
                    in_outage=self.breaker.in_outage,
                )
        finally:
            if method != "GET":
                self.cache.invalidate(ref)
                if self.shared_reads is not None:
                    await self.shared_reads.invalidate(ref)

    # --- reads ---------------------------------------------------------------------------------

    async def get(
        self,
        ref: Ref,
        params: dict[str, Any] | None = None,
        *,
        fresh: bool = False,
        expect: Expect = "object",
    ) -> Any:
        """GET through the cache; `fresh` skips the cached value (status polling). The answer
        must be an object (`expect="page"` for a page of a list).

        With batching on, concurrent GETs of the same reference and parameters share one request.
        """
        key = self.cache.key(ref, params)
        if not fresh:
            hit, value = self.cache.lookup(key)
            if hit:
                self.metrics.cache_hits += 1
                return value
            self.metrics.cache_misses += 1
            if self.settings.batch_enabled:
                shared = self._in_flight.get(key)
                if shared is not None:
                    self.metrics.shared_reads += 1
                    return copy.deepcopy(await asyncio.shield(shared))
                future = asyncio.ensure_future(self._get_and_keep(ref, params, key, expect, fresh))
                self._in_flight[key] = future
                try:
                    return copy.deepcopy(await asyncio.shield(future))
                finally:
                    if self._in_flight.get(key) is future:
                        del self._in_flight[key]
        return await self._get_and_keep(ref, params, key, expect, fresh)

    async def _get_and_keep(
        self, ref: Ref, params: dict[str, Any] | None, key: Key, expect: Expect, fresh: bool
    ) -> Any:
        generation = self.cache.generation(ref)

        async def fetch() -> Any:
            return await self.request("GET", ref, params=params, expect=expect)

        if self.shared_reads is None:
            value = await fetch()
        else:
            value = await self.shared_reads.get(ref, params, fetch, fresh=fresh)
        self.cache.store(key, value, generation)
        return value

    def cached(self, ref: Ref) -> tuple[bool, Any]:
        """The cached GET of `ref` without parameters, if any (counted as a hit)."""
        hit, value = self.cache.lookup(self.cache.key(ref, None))
        if hit:
            self.metrics.cache_hits += 1
        return hit, value

    async def list_all(self, collection: Ref, *, fresh: bool = False) -> list[dict[str, Any]]:
        """Every item of a collection, following pagination (`PAGE_LIMIT` per page, which the
        API may answer with fewer: the next page starts after what came).

        A bare array is the whole list (the official client reads those lists so). A page
        object is followed to its `total`; one without a total, while its pages come full (a
        page adding no new id ends it: a server ignoring `offset`)."""
        items: list[dict[str, Any]] = []
        seen: set[Any] = set()
        offset = 0
        while True:
            body = await self.get(
                collection, params={"limit": PAGE_LIMIT, "offset": offset}, fresh=fresh, expect="page"
            )
            page, total = _items(body)
            if isinstance(body, list):
                return page
            new = [item for item in page if item.get("id") is None or item.get("id") not in seen]
            if page and not new:
                return items
            items.extend(new)
            seen.update(item.get("id") for item in new)
            offset += len(page)
            if not page or (offset >= total if total is not None else len(page) < PAGE_LIMIT):
                return items

    async def aclose(self) -> None:
        await self._transport.aclose()
        if self.shared_reads is not None:
            await self.shared_reads.flush()
        if self.shared is not None:
            await self.shared.aclose()
