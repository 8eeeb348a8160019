"""SevallaClient: the one object every handler talks to.

Each request passes, in order: the cache (GETs), the rate limits, the circuit breaker, the
pooled transport; failures go through the retry policy. Writes invalidate the cache. A
create (POST) that fails ambiguously is reconciled: the client looks for the object it may
have created before it tries again, so a create is never duplicated.
"""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from provider.client.answers import Expect, decode_answer
from provider.client.batcher import ObjectReader
from provider.client.breaker import CircuitBreaker
from provider.client.cache import ResponseCache
from provider.client.creates import CreateJournal, keep_entry, note_made
from provider.client.diskcache import DiskCache
from provider.client.errors import (
    ExistingObjectError,
    NotFoundError,
    RateLimitedError,
    SevallaError,
    TransportError,
    ValidationError,
)
from provider.client.limits import NO_LIMITS, SERVICE_COLLECTIONS, RateLimits
from provider.client.metrics import ClientMetrics
from provider.client.retry import backoff, is_ambiguous, with_retries
from provider.client.transport import PAGE_LIMIT, Transport, decode_error
from provider.client.waiting import default_deadline, pause

if TYPE_CHECKING:
    from provider.settings import ProviderSettings

log = logging.getLogger("sevalla.client")

# A reconciled create must have been made at most this long before our request (clock skew).
CREATE_CLOCK_SKEW = 120.0
# Secrets the API returns once, in a create's answer (an API key's token): never on disk.
CREATE_ONLY_FIELDS = frozenset({"token"})
# Top-level kinds: their list answers with summaries, their objects have a GET by id.
TOP_LEVEL = SERVICE_COLLECTIONS | {"docker-registries", "webhooks", "api-keys"}


def _path_parts(path: str) -> list[str]:
    return [part for part in path.split("?")[0].split("/") if part]


def top_level_object(path: str) -> tuple[str, str] | None:
    """("applications", id) for "applications/<id>"; None for anything else."""
    parts = _path_parts(path)
    if len(parts) == 2 and parts[0] in TOP_LEVEL and parts[1] != "global-env-vars":
        return parts[0], parts[1]
    return None


def _items(body: Any) -> tuple[list[dict[str, Any]], int | None]:
    """A list answer (checked by answers.decode_answer): a bare array, or {data: [...], total: N};
    items that are not objects are left out."""
    page = body if isinstance(body, list) else body["data"]
    total = body.get("total") if isinstance(body, dict) else None
    items = [item for item in page if isinstance(item, dict)]
    return items, int(total) if isinstance(total, int) and not isinstance(total, bool) else None


def _says_taken(refusal: ValidationError) -> bool:
    """Whether a 422 says the new object's identity is in use ("key has already been taken")."""
    texts = [refusal.message, refusal.detail or ""] + [m for ms in refusal.fields.values() for m in ms]
    return any("taken" in text.lower() or "already exists" in text.lower() for text in texts)


def _timestamp(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


class SevallaClient:
    def __init__(self, settings: ProviderSettings, user_agent: str) -> None:
        self.settings = settings
        self.metrics = ClientMetrics()
        self.cache = ResponseCache(enabled=settings.cache_enabled, ttl=settings.cache_ttl)
        self.limits = RateLimits(
            enabled=settings.rate_limit_enabled,
            per_second=settings.rate_limit_per_second,
            burst=settings.rate_limit_burst,
            metrics=self.metrics,
        )
        self.breaker = CircuitBreaker(
            settings.breaker_threshold, settings.breaker_cooldown, patience=settings.outage_timeout
        )
        self._transport = Transport(settings, user_agent, self.metrics)
        self._closed = False
        self._in_flight: dict[Any, asyncio.Future[Any]] = {}
        disk = (
            DiskCache.from_environment(settings.api_url, settings.api_key, settings.cache_ttl)
            if settings.cache_enabled and settings.batch_enabled
            else None
        )
        self.journal = CreateJournal.from_environment(settings.api_url, settings.api_key)
        self.reader = ObjectReader(
            fetch=self.get,
            list_all=self.list_all,
            disk=disk,
            batch_size=settings.batch_size,
            batch_timeout=settings.batch_timeout,
        )

    # --- one HTTP exchange -------------------------------------------------------------------

    async def _attempt(
        self, method: str, path: str, body: Any, params: dict[str, Any] | None, expect: Expect
    ) -> Any:
        probe = await self.breaker.admit()
        outcome = False
        permit = NO_LIMITS
        headers: Any = {}
        try:
            permit = await self.limits.acquire(method, path)
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
        path: str,
        *,
        body: Any = None,
        params: dict[str, Any] | None = None,
        expect: Expect = "optional",
    ) -> Any:
        """One API call with the retry policy (no cache), bounded by the call's deadline: the
        resource's timeouts, else `operation_timeout`."""

        async def attempt() -> Any:
            return await self._attempt(method, path, body, params, expect)

        with default_deadline(self.settings.operation_timeout):
            return await with_retries(
                method,
                attempt,
                retries=self.settings.retry_attempts,
                base_delay=self.settings.retry_delay,
                metrics=self.metrics,
                in_outage=self.breaker.in_outage,
            )

    # --- reads ---------------------------------------------------------------------------------

    async def get(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        fresh: bool = False,
        expect: Expect = "object",
    ) -> Any:
        """GET through the cache; `fresh` skips the cached value (status polling). The answer
        must be an object (`expect="page"` for a page of a list).

        With batching on, concurrent GETs of the same path and parameters share one request.
        """
        key = self.cache.key(path, params)
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
                future = asyncio.ensure_future(self._get_and_keep(path, params, key, expect))
                self._in_flight[key] = future
                try:
                    return copy.deepcopy(await asyncio.shield(future))
                finally:
                    if self._in_flight.get(key) is future:
                        del self._in_flight[key]
        return await self._get_and_keep(path, params, key, expect)

    async def _get_and_keep(self, path: str, params: dict[str, Any] | None, key: Any, expect: Expect) -> Any:
        generation = self.cache.generation(path)
        value = await self.request("GET", path, params=params, expect=expect)
        self.cache.store(key, value, generation)
        await self._remember_full_object(path, value)
        return value

    async def _remember_full_object(self, path: str, value: Any) -> None:
        obj = top_level_object(path)
        if obj and self.reader.disk is not None and isinstance(value, dict) and value.get("id") == obj[1]:
            kept = {name: field for name, field in value.items() if name not in CREATE_ONLY_FIELDS}
            await self.reader.disk.store(obj[0], obj[1], kept)

    async def read(self, path: str) -> Any:
        """The object at `path`, or None if it is gone (404): what a resource's Read needs.

        With batching on, a top-level object goes through the batcher (summary lists, disk
        cache) and a child object is found in its parent's collection, fetched once for all
        the children of that parent (`applications/A/domains/D` -> `applications/A/domains`).
        """
        parts = _path_parts(path)
        try:
            if self.settings.batch_enabled and top_level_object(path):
                hit, value = self.cache.lookup(self.cache.key(path, None))
                if hit:
                    self.metrics.cache_hits += 1
                    return value
                return await self.reader.read(parts[0], parts[1])
            if self.settings.batch_enabled and len(parts) == 4:
                return await self.find("/".join(parts[:3]), parts[3])
            return await self.get(path)
        except NotFoundError:
            return None

    async def find(self, collection: str, item_id: str, *, fresh: bool = False) -> dict[str, Any] | None:
        """The item with `item_id` from a collection (all pages, shared and cached like any
        GET, unless `fresh`); None when it, or the parent, is gone. Also for children without a
        GET by id."""
        try:
            items = await self.list_all(collection, fresh=fresh)
        except NotFoundError:
            return None
        return next((item for item in items if item.get("id") == item_id), None)

    async def list_all(self, path: str, *, fresh: bool = False) -> list[dict[str, Any]]:
        """Every item of a collection, following pagination (100 per page)."""
        items: list[dict[str, Any]] = []
        offset = 0
        while True:
            body = await self.get(
                path, params={"limit": PAGE_LIMIT, "offset": offset}, fresh=fresh, expect="page"
            )
            page, total = _items(body)
            items.extend(page)
            if total is None or not page or offset + len(page) >= total:
                return items
            offset += len(page)

    # --- writes --------------------------------------------------------------------------------

    async def _write(self, method: str, path: str, body: Any, expect: Expect = "optional") -> Any:
        parts = _path_parts(path)
        obj = top_level_object(path)
        try:
            result = await self.request(method, path, body=body, expect=expect)
        finally:
            self.cache.invalidate(path)
            self.reader.forget_summaries(parts[0] if parts else "")
            if obj and self.reader.disk is not None:
                await self.reader.disk.forget(*obj)
        if method == "POST" and len(parts) == 1 and isinstance(result, dict):
            await self._remember_full_object(f"{path}/{result.get('id')}", result)
        elif method == "PATCH" and obj:
            await self._remember_full_object(path, result)
        return result

    async def patch(self, path: str, body: dict[str, Any]) -> Any:
        return await self._write("PATCH", path, body)

    async def put(self, path: str, body: dict[str, Any]) -> Any:
        return await self._write("PUT", path, body)

    async def delete(self, path: str) -> Any:
        return await self._write("DELETE", path, None)

    async def post(
        self, path: str, body: dict[str, Any] | None = None, *, match: dict[str, Any] | None = None
    ) -> Any:
        """POST. With `match` (the fields that identify the new object, e.g. {"key": "FOO"})
        it is a create that is never made twice (creates.py):

        - an object made by an earlier create of this identity that did not finish (its
          process died) is adopted instead;
        - an ambiguous failure is reconciled: found → returned; not there → tried again;
        - a refusal because the identity is taken names the existing object (ExistingObjectError);
        - the answer goes into the RPC's CreateRecord at once, so the resource can return it in
          its state whatever fails next.
        """
        if match is None:
            answer = await self._write("POST", path, body or {})
            if isinstance(answer, dict) and answer.get("id"):
                note_made(answer)  # e.g. a deployment, whose wait may still fail
            return answer
        with default_deadline(self.settings.operation_timeout):
            adopted = await self._adopt_abandoned(path, match)
            if adopted is not None:
                note_made(adopted)
                return adopted
            entry = await self.journal.begin(path, match)
            try:
                created = await self._create(path, body or {}, match)
            except SevallaError as exc:
                if entry is not None and not is_ambiguous(exc):
                    await self.journal.end(entry)
                raise
        kept = note_made(created)
        if entry is not None and kept:
            keep_entry(await self.journal.made(entry, created["id"]))
        elif entry is not None:
            await self.journal.end(entry)
        return created

    async def _create(self, path: str, body: dict[str, Any], match: dict[str, Any]) -> dict[str, Any]:
        started = time.time()
        tries_left = self.settings.retry_attempts
        attempt = 0
        while True:
            attempt += 1
            try:
                created: dict[str, Any] = await self._write("POST", path, body, expect="created")
                return created
            except ValidationError as exc:
                existing = await self._find_created(path, match, 0.0) if _says_taken(exc) else None
                if existing is None:
                    raise
                raise ExistingObjectError(exc, existing_id=str(existing["id"])) from exc
            except SevallaError as exc:
                if not is_ambiguous(exc):
                    raise
                found = await self._find_created(path, match, started)
                if found is not None:
                    self.metrics.creates_reconciled += 1
                    log.info(f"POST {path} failed ambiguously ({exc}); the object exists, using it")
                    return found
                if tries_left <= 0:
                    raise
                tries_left -= 1
                self.metrics.retries += 1
                await pause(
                    backoff(attempt, self.settings.retry_delay), f"retrying POST {path}: nothing was created"
                )

    async def _adopt_abandoned(self, path: str, match: dict[str, Any]) -> dict[str, Any] | None:
        """The object of an earlier create of this identity whose provider process died
        before Terraform saved it, if it is still there (journal entries consumed either way)."""
        for entry in await self.journal.abandoned(path, match):
            if entry.object_id is None:
                found = await self._find_created(path, match, entry.started)
            elif len(_path_parts(path)) == 1:  # a top-level kind: its own GET, the full object
                found = await self.read_fresh(f"{path}/{entry.object_id}")
            else:
                found = await self.find(path, entry.object_id, fresh=True)
            await self.journal.end(entry)
            if found is not None:
                self.metrics.creates_adopted += 1
                log.info(
                    f"POST {path}: adopting {found.get('id')}, made by an earlier create of the same "
                    "object that did not finish (its provider process ended)"
                )
                return found
        return None

    async def read_fresh(self, path: str) -> dict[str, Any] | None:
        """GET one object past every cache; None when it is gone (404)."""
        try:
            found: dict[str, Any] = await self.get(path, fresh=True)
        except NotFoundError:
            return None
        return found

    async def _find_created(self, path: str, match: dict[str, Any], started: float) -> dict[str, Any] | None:
        candidates = [
            item
            for item in await self.list_all(path, fresh=True)
            if all(item.get(field) == value for field, value in match.items())
            and (_timestamp(item.get("created_at")) or started) >= started - CREATE_CLOCK_SKEW
        ]
        if not candidates:
            return None
        newest = max(candidates, key=lambda item: _timestamp(item.get("created_at")) or 0.0)
        if len([part for part in path.split("/") if part]) == 1:
            # Top-level lists are summaries: fetch the whole object.
            full: dict[str, Any] = await self.get(f"{path}/{newest['id']}", fresh=True)
            return full
        return newest

    # --- lifetime ------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the pool and report what the client did (once)."""
        if self._closed:
            return
        self._closed = True
        await self._transport.aclose()
        self.metrics.breaker_trips = self.breaker.trips
        log.info(self.metrics.summary_line(), extra={"fields": self.metrics.summary()})
        if self.settings.metrics_file:
            try:
                await asyncio.to_thread(self.metrics.append_json_line, self.settings.metrics_file)
            except OSError as exc:
                log.warning(f"could not write metrics to {self.settings.metrics_file}: {exc}")
