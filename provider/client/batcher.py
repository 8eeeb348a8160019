"""Reading top-level objects by id with as few API calls as possible (plan and refresh).

Terraform sends up to 10 reads at once into one provider process. For a top-level object
(application, database, static site, bucket, ...):

- concurrent reads of the same id share one GET (the client's single-flight);
- a read whose full object is in the disk cache joins its kind's batch; when at least
  `batch_size` such reads arrive within `batch_timeout` the summary list is fetched once
  (pages of 100). It shows deleted objects (gone from the list: None, no GET) and each
  object's `updated_at` and `status`; an object whose summary still matches its disk entry
  needs no GET. The disk cache also says how many objects of the kind the previous process
  knew: when that is at least `batch_size`, the list is fetched at the first read rather
  than after the window, since that many reads are on their way;
- a lone read waits at most `batch_timeout` for company, then does its own GET; the window
  closes at once when every object of the kind that the disk cache knows has been asked for;
- a read without a disk entry does its GET at once: the summary cannot spare it;
- if the list call fails, every read of the batch falls back to its own GET, so an error
  reaches only the reads it concerns.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any

import attrs

from provider.client.diskcache import DiskCache
from provider.client.errors import NotFoundError, SevallaError

Fetch = Callable[[str], Awaitable[Any]]
ListAll = Callable[[str], Awaitable[list[dict[str, Any]]]]


def same_version(summary: dict[str, Any], full: dict[str, Any]) -> bool:
    return summary.get("updated_at") == full.get("updated_at") and summary.get("status") == full.get("status")


@attrs.define
class _Batch:
    reads: list[tuple[str, dict[str, Any], asyncio.Future[Any]]] = attrs.field(factory=list)
    timer: asyncio.TimerHandle | None = None


class ObjectReader:
    def __init__(
        self,
        *,
        fetch: Fetch,
        list_all: ListAll,
        disk: DiskCache | None,
        batch_size: int,
        batch_timeout: float,
    ) -> None:
        self._fetch = fetch
        self._list_all = list_all
        self.disk = disk
        self._batch_size = batch_size
        self._batch_timeout = batch_timeout
        self._batches: dict[str, _Batch] = {}
        self._summaries: dict[str, asyncio.Task[dict[str, dict[str, Any]]]] = {}
        self._population: dict[str, int] = {}
        self.served_from_disk = 0
        self.found_deleted = 0

    async def read(self, collection: str, object_id: str) -> dict[str, Any] | None:
        """The full object, or None when it no longer exists."""
        cached = await self.disk.load(collection, object_id) if self.disk else None
        if cached is None:
            return await self._get(collection, object_id)
        if collection in self._summaries:
            return await self._decide(collection, object_id, cached)
        if collection not in self._population and self.disk is not None:
            self._population[collection] = await self.disk.count(collection)
        if self._population.get(collection, 0) >= self._batch_size:
            self._start_summary(collection)
            return await self._decide(collection, object_id, cached)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        batch = self._batches.setdefault(collection, _Batch())
        batch.reads.append((object_id, cached, future))
        if len(batch.reads) >= self._batch_size:
            self._flush(collection, with_summary=True)
        elif len(batch.reads) >= self._population.get(collection, 0):
            # Every object of the kind the disk cache knows is asked for: nobody else is coming.
            self._flush(collection, with_summary=False)
        elif batch.timer is None:
            batch.timer = asyncio.get_running_loop().call_later(
                self._batch_timeout, self._flush, collection, False
            )
        return await future

    async def _get(self, collection: str, object_id: str) -> dict[str, Any] | None:
        try:
            body: dict[str, Any] = await self._fetch(f"{collection}/{object_id}")
        except NotFoundError:
            return None
        return body

    def _start_summary(self, collection: str) -> None:
        if collection not in self._summaries:

            async def summaries() -> dict[str, dict[str, Any]]:
                return {item["id"]: item for item in await self._list_all(collection) if "id" in item}

            self._summaries[collection] = asyncio.ensure_future(summaries())

    async def _decide(self, collection: str, object_id: str, cached: dict[str, Any]) -> dict[str, Any] | None:
        try:
            summaries = await asyncio.shield(self._summaries[collection])
        except SevallaError:
            self._summaries.pop(collection, None)
            return await self._get(collection, object_id)  # fall back to a single read
        summary = summaries.get(object_id)
        if summary is None:
            self.found_deleted += 1
            return None
        if same_version(summary, cached):
            self.served_from_disk += 1
            return cached
        return await self._get(collection, object_id)

    def _flush(self, collection: str, with_summary: bool) -> None:
        batch = self._batches.pop(collection, None)
        if batch is None:
            return
        if batch.timer is not None:
            batch.timer.cancel()
        if with_summary:
            self._start_summary(collection)
        for object_id, cached, future in batch.reads:
            work = (
                self._decide(collection, object_id, cached)
                if with_summary
                else self._get(collection, object_id)
            )
            task = asyncio.ensure_future(work)
            task.add_done_callback(functools.partial(_settle, future))

    def forget_summaries(self, collection: str) -> None:
        """A write to the collection: the summary list is out of date."""
        self._summaries.pop(collection, None)


def _settle(future: asyncio.Future[Any], done: asyncio.Future[Any]) -> None:
    if future.cancelled():
        return
    if done.cancelled():
        future.cancel()
    elif done.exception() is not None:
        future.set_exception(done.exception())  # type: ignore[arg-type]
    else:
        future.set_result(done.result())
