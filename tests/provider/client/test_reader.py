"""Read coalescing: single-flight, shared child collections, summary-list batches; the reader's
kept copies on disk."""

from __future__ import annotations

import asyncio
import functools
import time
from pathlib import Path
from typing import Any

import httpx
import respx

import provider.client.client as client_module
from provider.client import ServerError
from provider.client.diskcache import DiskCache
from provider.client.kinds import API_KEY, APPLICATION, APPLICATION_DOMAIN, OBJECT_STORAGE
from tests.provider.client.support import BASE, made_up_api_client

make_client = functools.partial(made_up_api_client, retry_attempts=0)


def app(i: int, updated: str = "t1") -> dict[str, Any]:
    return {
        "id": f"a{i}",
        "display_name": f"app {i}",
        "status": "inactive",
        "updated_at": updated,
        "build_type": "pack",
    }


async def warm_disk(count: int) -> None:
    disk = DiskCache.from_environment(BASE, "k", 300)
    assert disk is not None
    for i in range(count):
        await disk.store("applications", f"a{i}", app(i))


@respx.mock
async def test_concurrent_identical_gets_share_one_request() -> None:
    client = make_client()
    route = respx.get(f"{BASE}/applications/a1").mock(
        side_effect=lambda request: asyncio.sleep(0.05, httpx.Response(200, json=app(1)))
    )
    results = await asyncio.gather(*(client.requester.get(APPLICATION.ref("a1")) for _ in range(5)))
    assert route.call_count == 1 and all(result == app(1) for result in results)
    assert client.metrics.shared_reads == 4


@respx.mock
async def test_children_of_one_parent_share_one_collection_fetch() -> None:
    client = make_client()
    domains = [{"id": f"d{i}", "name": f"x{i}.example.com"} for i in range(5)]
    listing = respx.get(f"{BASE}/applications/a/domains").mock(
        side_effect=lambda request: asyncio.sleep(
            0.05, httpx.Response(200, json={"data": domains, "total": 5})
        )
    )
    found = await asyncio.gather(*(client.read(APPLICATION_DOMAIN.ref("a", f"d{i}")) for i in range(5)))
    assert [item["id"] for item in found] == [f"d{i}" for i in range(5)]
    assert await client.read(APPLICATION_DOMAIN.ref("a", "d9")) is None
    assert listing.call_count == 1


@respx.mock
async def test_baseline_reads_each_child_on_its_own() -> None:
    client = make_client(batch_enabled=False, cache_enabled=False)
    one = respx.get(url__regex=rf"{BASE}/applications/a/domains/d\d").respond(200, json={"id": "d"})
    await asyncio.gather(*(client.read(APPLICATION_DOMAIN.ref("a", f"d{i}")) for i in range(5)))
    assert one.call_count == 5


@respx.mock
async def test_summary_list_replaces_gets_and_reveals_changes_and_deletions() -> None:
    await warm_disk(12)
    client = make_client(batch_size=10)
    # a3 was deleted, a5 changed since it was cached.
    summaries = [app(i, updated="t2" if i == 5 else "t1") for i in range(12) if i != 3]
    listing = respx.get(f"{BASE}/applications").respond(200, json={"data": summaries, "total": 11})
    single = respx.get(f"{BASE}/applications/a5").respond(200, json=app(5, updated="t2"))
    results = await asyncio.gather(*(client.read(APPLICATION.ref(f"a{i}")) for i in range(12)))
    assert results[3] is None
    assert results[5]["updated_at"] == "t2"
    assert results[0] == app(0)
    assert listing.call_count == 1, "one summary list for all twelve reads"
    assert single.call_count == 1, "only the changed object needs its GET"
    assert client.reader.served_from_disk == 10 and client.reader.found_deleted == 1


@respx.mock
async def test_a_full_window_triggers_the_summary_list() -> None:
    await warm_disk(3)
    client = make_client(batch_size=3, batch_timeout=5.0)
    listing = respx.get(f"{BASE}/applications").respond(
        200, json={"data": [app(i) for i in range(3)], "total": 3}
    )
    started = time.monotonic()
    await asyncio.gather(*(client.read(APPLICATION.ref(f"a{i}")) for i in range(3)))
    assert listing.call_count == 1
    assert time.monotonic() - started < 1, "a full batch does not wait for the window"


@respx.mock
async def test_a_read_that_cannot_get_company_does_not_wait() -> None:
    await warm_disk(1)  # the disk cache knows one application: no other read is coming
    client = make_client(batch_size=10, batch_timeout=2.0)
    single = respx.get(f"{BASE}/applications/a0").respond(200, json=app(0))
    started = time.monotonic()
    assert await client.read(APPLICATION.ref("a0")) == app(0)
    assert time.monotonic() - started < 0.5 and single.call_count == 1


@respx.mock
async def test_a_read_the_summary_list_cannot_spare_does_its_get_at_once() -> None:
    await warm_disk(3)  # three known, fewer than a batch: the list could spare at most 3 GETs
    client = make_client(batch_size=10, batch_timeout=30.0)
    listing = respx.get(f"{BASE}/applications").respond(200, json={"data": [], "total": 0})
    single = respx.get(f"{BASE}/applications/a0").respond(200, json=app(0))
    # Waiting for company (up to batch_timeout) could never fill a batch: no more reads with
    # disk entries can come than the disk knows objects.
    assert await asyncio.wait_for(client.read(APPLICATION.ref("a0")), timeout=10) == app(0)
    assert (listing.call_count, single.call_count) == (0, 1)


@respx.mock
async def test_the_disk_is_counted_once_per_kind() -> None:
    await warm_disk(12)
    client = make_client(batch_size=10)
    assert client.reader.disk is not None
    counted: list[str] = []
    count = client.reader.disk.count

    async def counting(collection: str) -> int:
        counted.append(collection)
        return await count(collection)

    client.reader.disk.count = counting  # type: ignore[method-assign]
    respx.get(f"{BASE}/applications").respond(200, json={"data": [app(i) for i in range(12)], "total": 12})
    await asyncio.gather(*(client.read(APPLICATION.ref(f"a{i}")) for i in range(12)))
    await client.read(APPLICATION.ref("a0"))
    assert counted == ["applications"]
    assert client.reader.served_from_disk == 13


@respx.mock
async def test_a_read_without_disk_entry_does_not_wait() -> None:
    client = make_client(batch_size=10, batch_timeout=1.0)
    respx.get(f"{BASE}/applications/a7").respond(200, json=app(7))
    started = time.monotonic()
    await client.read(APPLICATION.ref("a7"))
    assert time.monotonic() - started < 0.5


@respx.mock
async def test_failed_list_falls_back_and_errors_reach_their_own_reader() -> None:
    await warm_disk(12)
    client = make_client(batch_size=10)
    respx.get(f"{BASE}/applications").respond(500, json={"message": "list broke"})
    respx.get(f"{BASE}/applications/a1").respond(500, json={"message": "a1 broke"})
    respx.get(f"{BASE}/applications/a2").respond(404, json={"message": "Not Found"})
    respx.get(url__regex=rf"{BASE}/applications/a([03-9]|1[01])$").mock(
        side_effect=lambda request: httpx.Response(200, json=app(int(request.url.path.rsplit("a", 1)[1])))
    )
    results = await asyncio.gather(
        *(client.read(APPLICATION.ref(f"a{i}")) for i in range(12)), return_exceptions=True
    )
    assert isinstance(results[1], ServerError) and "a1 broke" in str(results[1])
    assert results[2] is None
    assert [r["id"] for i, r in enumerate(results) if i not in (1, 2)] == [
        f"a{i}" for i in range(12) if i not in (1, 2)
    ]


@respx.mock
async def test_no_stale_value_after_a_write_in_the_same_process() -> None:
    await warm_disk(12)
    client = make_client(batch_size=10)
    respx.get(f"{BASE}/applications").respond(200, json={"data": [app(i) for i in range(12)], "total": 12})
    assert (await client.read(APPLICATION.ref("a4")))["display_name"] == "app 4"
    respx.patch(f"{BASE}/applications/a4").respond(
        200, json={**app(4, updated="t9"), "display_name": "renamed"}
    )
    await client.update(APPLICATION.ref("a4"), {"display_name": "renamed"})
    respx.get(f"{BASE}/applications/a4").respond(
        200, json={**app(4, updated="t9"), "display_name": "renamed"}
    )
    assert (await client.read(APPLICATION.ref("a4")))["display_name"] == "renamed"


@respx.mock
async def test_a_create_only_secret_never_reaches_the_disk_cache() -> None:
    client = make_client()
    created = {"id": "k1", "name": "ci", "token": "one-time-token-9c1e"}
    respx.post(f"{BASE}/api-keys").respond(201, json=created)
    respx.get(f"{BASE}/api-keys/k1").respond(200, json={"id": "k1", "name": "ci"})  # the read-back
    assert (await client.create(API_KEY.collection(), {"name": "ci"}))["token"] == "one-time-token-9c1e"
    disk = DiskCache.from_environment(BASE, "k", 300)
    assert disk is not None
    assert await disk.load("api-keys", "k1") == {"id": "k1", "name": "ci"}


@respx.mock
async def test_a_sparse_answer_is_read_back_and_never_kept() -> None:
    """A bucket's PATCH answer leaves out its name, endpoint and keys (catalogue: sparse_answers):
    the update answers the object read back, and only that whole object goes to the disk."""
    client = make_client()
    whole = {
        "id": "b1",
        "display_name": "new",
        "bucket_name": "b",
        "endpoint": "https://e",
        "updated_at": "2",
    }
    respx.patch(f"{BASE}/object-storage/b1").respond(200, json={"id": "b1", "display_name": "new"})
    read_back = respx.get(f"{BASE}/object-storage/b1").respond(200, json=whole)
    assert await client.update(OBJECT_STORAGE.ref("b1"), {"display_name": "new"}) == whole
    assert read_back.call_count == 1
    disk = DiskCache.from_environment(BASE, "k", 300)
    assert disk is not None and await disk.load("object-storage", "b1") == whole


@respx.mock
async def test_a_sparse_answer_without_a_read_back_leaves_the_disk_empty() -> None:
    client = make_client()
    sparse = {"id": "b1", "display_name": "new", "updated_at": "2"}
    respx.patch(f"{BASE}/object-storage/b1").respond(200, json=sparse)
    respx.get(f"{BASE}/object-storage/b1").respond(404, json={"message": "gone"})
    assert await client.update(OBJECT_STORAGE.ref("b1"), {"display_name": "new"}) == sparse
    disk = DiskCache.from_environment(BASE, "k", 300)
    assert disk is not None and await disk.load("object-storage", "b1") is None


def test_the_client_never_touches_the_disk_cache() -> None:
    """The reader owns the kept copies: the client facade only reads and writes through it."""
    source = Path(client_module.__file__).read_text()
    assert "diskcache" not in source and "DiskCache" not in source and ".disk" not in source
    client = make_client()
    assert client.reader.disk is not None


@respx.mock
async def test_a_get_of_a_summary_kind_is_kept_and_a_write_forgets_it() -> None:
    client = make_client()
    respx.get(f"{BASE}/applications/a1").respond(200, json=app(1))
    respx.delete(f"{BASE}/applications/a1").respond(204)
    disk = DiskCache.from_environment(BASE, "k", 300)
    assert disk is not None
    await client.read(APPLICATION.ref("a1"))
    assert await disk.load("applications", "a1") == app(1)
    await client.delete(APPLICATION.ref("a1"))
    assert await disk.load("applications", "a1") is None
