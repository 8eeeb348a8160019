"""Reading top-level objects by id with as few API calls as possible (plan and refresh).

Built on the requester; the owner of the disk cache (diskcache.py), which holds the full
objects of the kinds whose list answers with summaries (`Kind.summary_list`): this module
stores them after its GETs and writes (without `Kind.create_only` fields) and forgets them on
writes. Nothing else touches the disk cache.

Terraform sends up to 10 reads at once into one provider process. For a top-level object
(application, database, static site, bucket, ...):

- concurrent reads of the same id share one GET (the requester's single-flight);
- the disk cache says how many objects of the kind the previous processes knew (counted
  once per kind): when that is at least `batch_size`, the kind's summary list is fetched at its
  first read (pages of 100), and every read whose full object is on disk is answered from it.
  The list shows deleted objects (gone from it: None, no GET) and each object's `updated_at`
  and `status`; an object whose summary still matches its disk entry needs no GET;
- below `batch_size` (or with nothing on disk for the object) the read does its GET at once:
  the list could spare fewer GETs than that, and no more reads with disk entries can come
  than the disk knows objects, so waiting for company would only delay it (why there is no
  window: `batch_timeout` is accepted for the official provider's configurations only);
- if the list call fails, every read waiting on it falls back to its own GET, so an error
  reaches only the reads it concerns (a 404 among them is the client's to turn into None).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from provider.client.answers import Expect
from provider.client.diskcache import DiskCache
from provider.client.errors import SevallaError
from provider.client.kinds import Kind, Ref, id_problem
from provider.client.requester import Requester

if TYPE_CHECKING:
    from provider.settings import ProviderSettings


def same_version(summary: dict[str, Any], full: dict[str, Any]) -> bool:
    return summary.get("updated_at") == full.get("updated_at") and summary.get("status") == full.get("status")


class ObjectReader:
    def __init__(self, requester: Requester, settings: ProviderSettings) -> None:
        self._requester = requester
        self.disk = (
            DiskCache.from_environment(settings.api_url, settings.api_key, settings.cache_ttl)
            if settings.cache_enabled and settings.batch_enabled
            else None
        )
        self._batch_size = settings.batch_size
        self._summaries: dict[Kind, asyncio.Task[dict[str, dict[str, Any]]]] = {}
        self._population: dict[Kind, asyncio.Future[int]] = {}
        self.served_from_disk = 0
        self.found_deleted = 0

    # --- the disk copies -----------------------------------------------------------------------

    def _on_disk(self, ref: Ref) -> bool:
        return self.disk is not None and ref.kind.summary_list and ref.id is not None

    async def _keep(self, ref: Ref, value: Any) -> None:
        if (
            self.disk is not None
            and self._on_disk(ref)
            and isinstance(value, dict)
            and value.get("id") == ref.id
        ):
            await self.disk.store(ref.kind.segment, str(ref.id), ref.without_create_only(value))

    # --- reads ---------------------------------------------------------------------------------

    async def get(self, ref: Ref, *, fresh: bool = False) -> Any:
        """The requester's GET of one object; a full object of a summary-list kind is kept on disk."""
        value = await self._requester.get(ref, fresh=fresh)
        await self._keep(ref, value)
        return value

    async def read(self, ref: Ref) -> dict[str, Any] | None:
        """The full object of a summary-list kind, or None when its summary list lacks it.
        A 404 of its GET is raised (NotFoundError), like every other failure."""
        kind, disk = ref.kind, self.disk
        if disk is None or await self._population_of(disk, kind) < self._batch_size:
            return await self.get(ref)
        cached = await disk.load(kind.segment, str(ref.id))
        if cached is None:
            return await self.get(ref)
        self._start_summary(kind)
        return await self._decide(ref, cached)

    async def _population_of(self, disk: DiskCache, kind: Kind) -> int:
        """How many objects of the kind the disk cache holds, counted once, at the kind's first
        read (concurrent first reads share the count)."""
        if kind not in self._population:
            self._population[kind] = asyncio.ensure_future(disk.count(kind.segment))
        return await asyncio.shield(self._population[kind])

    def _start_summary(self, kind: Kind) -> None:
        if kind not in self._summaries:

            async def summaries() -> dict[str, dict[str, Any]]:
                listed = await self._requester.list_all(kind.collection())
                return {item["id"]: item for item in listed if "id" in item}

            self._summaries[kind] = asyncio.ensure_future(summaries())

    async def _decide(self, ref: Ref, cached: dict[str, Any]) -> dict[str, Any] | None:
        try:
            summaries = await asyncio.shield(self._summaries[ref.kind])
        except SevallaError:
            self._summaries.pop(ref.kind, None)
            return await self.get(ref)  # fall back to a single read
        summary = summaries.get(str(ref.id))
        if summary is None:
            self.found_deleted += 1
            return None
        if same_version(summary, cached):
            self.served_from_disk += 1
            return cached
        # Changed since it was kept: no cached copy will do (another process's shared one either).
        return await self.get(ref, fresh=True)

    # --- writes --------------------------------------------------------------------------------

    async def write(
        self,
        method: str,
        ref: Ref,
        body: Any = None,
        *,
        params: dict[str, Any] | None = None,
        expect: Expect = "optional",
    ) -> Any:
        """The requester's write; the summaries and the disk copy it may have changed are
        forgotten, and the object it answers with is kept (a create's, a PATCH's), unless the kind
        answers that method sparsely."""
        try:
            result = await self._requester.request(method, ref, body=body, params=params, expect=expect)
        finally:
            self._summaries.pop(ref.root.kind, None)  # out of date
            if self.disk is not None and self._on_disk(ref):
                await self.disk.forget(ref.kind.segment, str(ref.id))
        if method in ref.kind.sparse_answers:
            return result  # not the whole object: never kept
        if method == "POST" and ref.is_collection and isinstance(result, dict):
            made = result.get("id")
            if isinstance(made, str) and id_problem(made) is None:
                await self._keep(ref.item(made), result)
        elif method == "PATCH":
            await self._keep(ref, result)
        return result
