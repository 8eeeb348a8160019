"""The shared rate-limit budget (provider/client/shared.py) against fakeredis, and its fallbacks
against a closed port and a server that never answers."""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import AsyncIterator

import fakeredis
import httpx
import pytest
import respx

from provider.client import shared as shared_module
from provider.client.kinds import Kind
from provider.client.limits import READ, RateLimits
from provider.client.metrics import ClientMetrics
from provider.client.shared import SharedState, namespace
from tests.provider.client.support import BASE, made_up_api_client

ITEMS = Kind("item", "items")
PREFIX = namespace("https://api.test/v3", "super-secret-key")


@pytest.fixture
def server() -> fakeredis.FakeServer:
    return fakeredis.FakeServer()


def process(server: fakeredis.FakeServer, prefix: str = PREFIX) -> SharedState:
    """One provider process's view of the shared Redis."""
    return SharedState(fakeredis.FakeAsyncRedis(server=server), prefix)


async def test_processes_draw_from_one_budget_per_tier_and_scope(server: fakeredis.FakeServer) -> None:
    one, two = process(server), process(server)
    granted = [await (one if i % 2 else two).take("read", "company", 5, 60) for i in range(5)]
    assert granted == [0.0] * 5
    wait = await one.take("read", "company", 5, 60)
    assert wait is not None and 59 < wait <= 60, "spent: wait for the window's end"
    assert await two.take("service mutation", "app-1", 5, 60) == 0.0, "another tier, another budget"
    assert (await two.take("read", "company", 5, 60) or 0) > 0, "the other process sees it spent too"


async def test_the_api_headers_correct_the_shared_count(server: fakeredis.FakeServer) -> None:
    state, redis = process(server), fakeredis.FakeAsyncRedis(server=server)
    await state.take("read", "company", 400, 60)
    key = state.key("read", "company")
    await state.correct("read", "company", 10, 2.0)  # other clients spent the rest
    assert int(await redis.get(key)) == 10 and 0 < await redis.pttl(key) <= 2000
    await state.correct("read", "company", 50, 2.0)  # same window: never above what we counted
    assert int(await redis.get(key)) == 10
    await redis.pexpire(key, 100)
    await state.correct("read", "company", 399, 60.0)  # the server's window ends later: a new one
    assert int(await redis.get(key)) == 399
    await state.exhaust("read", "company", 3.0)  # a 429
    assert int(await redis.get(key)) == 0 and 0 < await redis.pttl(key) <= 3000


async def test_keys_expire_and_hold_nothing_secret(server: fakeredis.FakeServer) -> None:
    state, redis = process(server), fakeredis.FakeAsyncRedis(server=server)
    await state.take("read", "company", 400, 60)
    await state.take("creation", "company", 20, 3600)
    await state.correct("service mutation", "3f0c9d2e-app", 9, 60)
    other = process(server, namespace("https://api.test/v3", "another-key"))
    await other.take("read", "company", 400, 60)
    keys = await redis.keys("*")
    assert len(keys) == 4, "another API key has its own windows"
    for key in keys:
        ttl = await redis.pttl(key)
        assert 0 < ttl <= 3600 * 1000, key
        assert b"super-secret-key" not in key and b"api.test" not in key and b"3f0c9d2e" not in key
        assert (await redis.get(key)).isdigit()


async def test_a_flushed_redis_is_a_fresh_window(server: fakeredis.FakeServer) -> None:
    state, redis = process(server), fakeredis.FakeAsyncRedis(server=server)
    for _ in range(3):
        await state.take("read", "company", 3, 60)
    assert (await state.take("read", "company", 3, 60) or 0) > 0
    await redis.flushall()
    assert await state.take("read", "company", 3, 60) == 0.0


async def test_unreachable_redis_falls_back_with_one_warning(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="sevalla.client")
    state = SharedState.from_url("redis://:hunter2@127.0.0.1:1/0", "https://api.test/v3", "k")
    monkeypatch.setattr(shared_module, "RETRY_AFTER", 0.0)  # try Redis on every call
    started = time.monotonic()
    for _ in range(3):
        assert await state.take("read", "company", 400, 60) is None
    assert time.monotonic() - started < 3 * shared_module.TIMEOUT + 0.5
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "falling back" in warnings[0].getMessage()
    assert "hunter2" not in caplog.text and "127.0.0.1:1" in caplog.text
    await state.aclose()


async def test_a_redis_that_never_answers_costs_one_timeout_then_is_skipped() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(30)

    listener = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    state = SharedState.from_url(f"redis://127.0.0.1:{port}", "https://api.test/v3", "k")
    started = time.monotonic()
    assert await state.take("read", "company", 400, 60) is None
    assert time.monotonic() - started < shared_module.TIMEOUT + 0.3
    started = time.monotonic()
    assert await state.take("read", "company", 400, 60) is None
    assert time.monotonic() - started < 0.05, "while down, Redis is not asked again before RETRY_AFTER"
    listener.close()
    await state.aclose()


class Scripted:
    """A SharedState stand-in that refuses once (for `wait` seconds), then grants."""

    def __init__(self, wait: float) -> None:
        self.waits = [wait, 0.0]
        self.corrections: list[tuple[str, str, int, float]] = []

    async def take(self, tier: str, scope: str, limit: int, window: float) -> float | None:
        return self.waits.pop(0) if self.waits else 0.0

    async def correct(self, tier: str, scope: str, remaining: int, reset: float) -> None:
        self.corrections.append((tier, scope, remaining, reset))

    def soon(self, call: object) -> None:
        asyncio.ensure_future(call)  # type: ignore[arg-type]


async def test_limits_wait_for_the_shared_window_and_report_the_headers() -> None:
    scripted = Scripted(0.2)
    metrics = ClientMetrics()
    limits = RateLimits(enabled=True, per_second=1000, burst=1000, metrics=metrics, shared=scripted)  # type: ignore[arg-type]
    started = time.monotonic()
    permit = await limits.acquire("GET", ITEMS.ref("1"))
    assert time.monotonic() - started >= 0.2 and metrics.rate_limit_waits == metrics.shared_state_waits == 1
    limits.observe(
        permit, {"x-ratelimit-remaining": "7", "x-ratelimit-reset": "2", "x-ratelimit-limit": "400"}
    )
    await asyncio.sleep(0)
    assert scripted.corrections == [(READ.name, "company", 7, 2.0)]


@pytest.fixture
async def shared_clients(server: fakeredis.FakeServer) -> AsyncIterator[list[object]]:
    clients = []
    for _ in range(2):
        client = made_up_api_client(
            rate_limit_enabled=True, rate_limit_per_second=1000, rate_limit_burst=1000
        )
        client.requester.limits.shared = process(server, namespace(BASE, "k"))
        clients.append(client)
    yield clients
    for client in clients:
        await client.aclose()


@respx.mock
async def test_two_clients_together_stay_inside_one_window(shared_clients: list[object]) -> None:
    """Each sees only its own answers; the shared count keeps both inside the server's window."""
    sent: list[float] = []
    window = {"started": 0.0, "count": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        now = time.monotonic()
        sent.append(now)
        if now - window["started"] >= 1.0:
            window.update(started=now, count=0)
        window["count"] += 1
        left = 1.0 - (now - window["started"])
        headers = {
            "x-ratelimit-limit": "4",
            "x-ratelimit-remaining": str(max(0, 4 - int(window["count"]))),
            "x-ratelimit-reset": str(max(1, math.ceil(left))),
        }
        return httpx.Response(200 if window["count"] <= 4 else 429, headers=headers, json={})

    respx.get(url__regex=rf"{BASE}/items/\d+").mock(side_effect=answer)
    one, two = shared_clients
    for client in (one, two):  # each process learns the window's size from its first answer
        await client.requester.get(ITEMS.ref("0"), fresh=True)  # type: ignore[attr-defined]
    reads = [c.requester.get(ITEMS.ref(str(i)), fresh=True) for i, c in enumerate([one, two] * 3)]  # type: ignore[attr-defined]
    await asyncio.gather(*reads)
    assert len(sent) == 8
    assert sum(c.metrics.responses_429 for c in shared_clients) == 0  # type: ignore[attr-defined]


async def test_a_restarted_redis_is_used_again_and_its_lost_scripts_reloaded(
    server: fakeredis.FakeServer, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.INFO, logger="sevalla.client")
    monkeypatch.setattr(shared_module, "RETRY_AFTER", 0.0)
    state = process(server)
    assert await state.take("read", "company", 400, 60) == 0.0
    server.connected = False  # down
    assert await state.take("read", "company", 400, 60) is None
    assert await state.take("read", "company", 400, 60) is None
    assert state._metrics.shared_state_failures == 2
    server.connected = True  # back, empty and without the scripts (a restart)
    await fakeredis.FakeAsyncRedis(server=server).flushall()
    await fakeredis.FakeAsyncRedis(server=server).script_flush()
    assert await state.take("read", "company", 400, 60) == 0.0
    levels = [(r.levelname, r.getMessage().split(";")[0]) for r in caplog.records]
    assert [level for level, _ in levels] == ["WARNING", "INFO"], levels
    assert "answers again" in levels[1][1]


def test_without_the_setting_redis_is_not_even_imported() -> None:
    """redis-py costs about 0.17 s of every provider start; only a configured fleet pays it."""
    import subprocess
    import sys

    code = "import sys, provider.provider, provider.client.requester; print('redis' in sys.modules)"
    assert (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "False"
    )
