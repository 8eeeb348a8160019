"""Shared reads (provider/client/sharedreads.py) against fakeredis: one process's GETs reused by
another, writes invalidating for all, one fetch for many, nothing secret or unbounded in Redis."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import fakeredis
import pytest
import respx

from provider.client import SevallaClient
from provider.client import shared as shared_module
from provider.client import sharedreads as sharedreads_module
from provider.client.kinds import API_KEY, APPLICATION, APPLICATION_ENV_VAR
from provider.client.shared import SharedState, namespace
from provider.client.sharedreads import SharedReads
from tests.provider.client.support import BASE, made_up_api_client

KEY = "the-api-key-0123"
TOKEN = "sk_live_once_only_token"
APP = APPLICATION.ref("3f0c9d2e-app")
ENV_VARS = APPLICATION_ENV_VAR.collection("3f0c9d2e-app")


@pytest.fixture
def server() -> fakeredis.FakeServer:
    return fakeredis.FakeServer()


def reads(server: fakeredis.FakeServer, ttl: float = 300.0, **kwargs: Any) -> SharedReads:
    """One provider process's shared reads."""
    state = SharedState(fakeredis.FakeAsyncRedis(server=server), namespace(BASE, KEY))
    return SharedReads(state, KEY, ttl, **kwargs)


@pytest.fixture
async def processes(server: fakeredis.FakeServer) -> AsyncIterator[Callable[[], SevallaClient]]:
    """Provider processes (clients) sharing one Redis, each with its own memory and disk."""
    made: list[SevallaClient] = []

    def process() -> SevallaClient:
        client = made_up_api_client(api_key=KEY, batch_enabled=False)
        client.requester.shared_reads = reads(server, metrics=client.metrics)
        made.append(client)
        return client

    yield process
    for client in made:
        await client.aclose()


class Fetches:
    """A fetch that counts, answers `value`, and may wait or fail."""

    def __init__(self, value: Any, *, delay: float = 0.0, error: Exception | None = None) -> None:
        self.value, self.delay, self.error, self.count = value, delay, error, 0

    async def __call__(self) -> Any:
        self.count += 1
        await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return self.value


@respx.mock
async def test_a_second_process_reuses_the_first_ones_reads(processes: Callable[[], SevallaClient]) -> None:
    route = respx.get(f"{BASE}/applications/3f0c9d2e-app").respond(200, json={"id": APP.id, "name": "a"})
    first, second = processes(), processes()
    assert (await first.read(APP)) == {"id": APP.id, "name": "a"}
    assert (await second.read(APP)) == {"id": APP.id, "name": "a"}
    assert route.call_count == 1
    assert second.metrics.shared_cache_hits == 1


@respx.mock
async def test_a_write_by_one_process_invalidates_for_every_other(
    processes: Callable[[], SevallaClient],
) -> None:
    listing = respx.get(f"{BASE}/applications/3f0c9d2e-app/env-vars").respond(
        200, json={"data": [{"id": "e1", "key": "A"}], "total": 1}
    )
    respx.patch(f"{BASE}/applications/3f0c9d2e-app/env-vars/e1").respond(200, json={"id": "e1"})
    reader, writer, later = processes(), processes(), processes()
    await reader.list_all(ENV_VARS)
    await writer.list_all(ENV_VARS)
    assert listing.call_count == 1
    await writer.update(APPLICATION_ENV_VAR.ref("3f0c9d2e-app", "e1"), {"value": "new"})
    await later.list_all(ENV_VARS)
    assert listing.call_count == 2, "the write dropped the application's group"


async def test_a_read_that_began_before_a_write_does_not_store(server: fakeredis.FakeServer) -> None:
    one, other = reads(server), reads(server)

    async def fetch_while_another_writes() -> Any:
        await other.invalidate(APP)  # the write lands while our GET is on its way
        return {"id": APP.id, "name": "old"}

    await one.get(APP, None, fetch_while_another_writes)
    again = Fetches({"id": APP.id, "name": "new"})
    assert await reads(server).get(APP, None, again) == {"id": APP.id, "name": "new"}
    assert again.count == 1, "the stale answer was not shared"


async def test_many_processes_needing_one_list_fetch_it_once(server: fakeredis.FakeServer) -> None:
    fetch = Fetches({"data": [{"id": "e1"}], "total": 1}, delay=0.3)
    answers = await asyncio.gather(*(reads(server).get(ENV_VARS, {"limit": 100}, fetch) for _ in range(5)))
    assert fetch.count == 1
    assert all(answer == {"data": [{"id": "e1"}], "total": 1} for answer in answers)


async def test_a_failed_fetch_lets_the_waiters_fetch_themselves(server: fakeredis.FakeServer) -> None:
    failing = Fetches(None, delay=0.2, error=RuntimeError("500"))
    working = Fetches({"id": APP.id})
    first = asyncio.ensure_future(reads(server).get(APP, None, failing))
    await asyncio.sleep(0.05)
    second = await reads(server).get(APP, None, working)
    with pytest.raises(RuntimeError):
        await first
    assert second == {"id": APP.id} and working.count == 1, "errors are never shared"


async def test_a_waiter_does_not_wait_past_the_lock_ttl(
    server: fakeredis.FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sharedreads_module, "LOCK_TTL", 0.3)
    slow, own = Fetches({"id": "slow"}, delay=2.0), Fetches({"id": "own"})
    holder = asyncio.ensure_future(reads(server).get(APP, None, slow))
    await asyncio.sleep(0.05)
    started = asyncio.get_running_loop().time()
    assert await reads(server).get(APP, None, own) == {"id": "own"}
    assert asyncio.get_running_loop().time() - started < 1.0
    holder.cancel()


async def test_fresh_reads_never_take_a_shared_answer_but_replace_it(server: fakeredis.FakeServer) -> None:
    await reads(server).get(APP, None, Fetches({"id": APP.id, "status": "deploying"}))
    fresh = Fetches({"id": APP.id, "status": "ready"})
    assert await reads(server).get(APP, None, fresh, fresh=True) == {"id": APP.id, "status": "ready"}
    assert await reads(server).get(APP, None, Fetches(None)) == {"id": APP.id, "status": "ready"}


async def test_entries_older_than_the_ttl_are_not_used(server: fakeredis.FakeServer) -> None:
    now = [1000.0]
    await reads(server, clock=lambda: now[0]).get(APP, None, Fetches({"id": APP.id}))
    now[0] += 301
    late = Fetches({"id": APP.id, "name": "later"})
    assert await reads(server, clock=lambda: now[0]).get(APP, None, late) == {"id": APP.id, "name": "later"}
    assert late.count == 1


async def test_redis_holds_nothing_secret_and_everything_expires(server: fakeredis.FakeServer) -> None:
    one = reads(server)
    created = API_KEY.collection()
    secret_body = {"id": "k1", "name": "ci", "token": TOKEN, "value": "s3cr3t-password"}
    await one.get(API_KEY.ref("k1"), None, Fetches(secret_body))
    await one.get(created, {"limit": 100}, Fetches({"data": [secret_body], "total": 1}))
    await one.get(ENV_VARS, None, Fetches([{"id": "e1", "value": "s3cr3t-password"}]))
    await one.invalidate(APP)
    redis = fakeredis.FakeAsyncRedis(server=server)
    keys = await redis.keys("*")
    assert keys, "something was stored"
    for key in keys:
        assert 0 < await redis.pttl(key) <= 3600 * 1000, key
        dump = key + b"".join(
            [b"".join(part) for part in (await redis.hgetall(key)).items()]
            if await redis.type(key) == b"hash"
            else [await redis.get(key) or b""]
        )
        for clear in (TOKEN, "s3cr3t-password", KEY, "3f0c9d2e", "k1", "api-keys", "env-vars", "api.test"):
            assert clear.encode() not in dump, (clear, key)
    # Opened again, the token is gone: returned once by a create, never stored.
    assert await reads(server).get(API_KEY.ref("k1"), None, Fetches(None)) == {
        key: value for key, value in secret_body.items() if key != "token"
    }
    listed = await reads(server).get(created, {"limit": 100}, Fetches(None))
    assert "token" not in listed["data"][0]


async def test_another_api_key_cannot_read_the_entries(server: fakeredis.FakeServer) -> None:
    await reads(server).get(APP, None, Fetches({"id": APP.id}))
    state = SharedState(fakeredis.FakeAsyncRedis(server=server), namespace(BASE, KEY))
    other = SharedReads(state, "another-key", 300.0)  # same names would not even be found
    fetched = Fetches({"id": APP.id, "mine": True})
    assert await other.get(APP, None, fetched) == {"id": APP.id, "mine": True}
    assert fetched.count == 1


async def test_redis_down_means_fetching_alone_with_one_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="sevalla.client")
    monkeypatch.setattr(shared_module, "RETRY_AFTER", 0.0)
    state = SharedState.from_url("redis://:hunter2@127.0.0.1:1/0", BASE, KEY)
    down = SharedReads(state, KEY, 300.0)
    fetch = Fetches({"id": APP.id})
    for _ in range(3):
        assert await down.get(APP, None, fetch) == {"id": APP.id}
        await down.invalidate(APP)
    assert fetch.count == 3
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "hunter2" not in caplog.text
    await state.aclose()


def test_shared_reads_need_the_cache() -> None:
    assert made_up_api_client(shared_state_url="redis://127.0.0.1:1").requester.shared_reads is not None
    for off in ({"cache_enabled": False}, {"cache_ttl": 0}):
        client = made_up_api_client(shared_state_url="redis://127.0.0.1:1", **off)
        assert client.requester.shared_reads is None
    assert made_up_api_client().requester.shared_reads is None


@respx.mock
async def test_a_summary_showing_another_version_is_not_answered_from_redis(
    server: fakeredis.FakeServer,
) -> None:
    """The disk cache's rule holds with Redis too: the summary says changed, so a fresh GET."""
    old = {"id": APP.id, "updated_at": "1", "status": "ready", "name": "old"}
    new = {**old, "updated_at": "2", "name": "new"}
    await reads(server).get(APP, None, Fetches(old))  # another process shared the old copy
    client = made_up_api_client(api_key=KEY, batch_size=1)
    client.requester.shared_reads = reads(server)
    assert client.reader.disk is not None
    await client.reader.disk.store("applications", APP.id or "", old)  # and this machine kept it
    respx.get(f"{BASE}/applications").respond(
        200, json={"data": [{"id": APP.id, "updated_at": "2", "status": "ready"}], "total": 1}
    )
    single = respx.get(f"{BASE}/applications/3f0c9d2e-app").respond(200, json=new)
    assert await client.read(APP) == new
    assert single.call_count == 1
    assert await reads(server).get(APP, None, Fetches(None)) == new, "the fresh answer replaced the old"
    await client.aclose()


async def test_an_invalidation_redis_missed_is_sent_when_it_answers_again(
    server: fakeredis.FakeServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shared_module, "RETRY_AFTER", 0.0)
    await reads(server).get(APP, None, Fetches({"id": APP.id, "name": "old"}))
    writer = reads(server)
    server.connected = False
    await writer.invalidate(APP)  # the write happened; Redis did not hear of it
    server.connected = True
    mine = Fetches({"id": APP.id, "name": "new"})
    assert await writer.get(APP, None, mine) == {"id": APP.id, "name": "new"}, "not the copy from before"
    assert mine.count == 1
    assert await reads(server).get(APP, None, Fetches(None)) == {"id": APP.id, "name": "new"}
