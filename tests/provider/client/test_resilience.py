"""The shared client's behaviours, each against respx-mocked HTTP."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from typing import Any

import attrs
import httpx
import pytest
import respx
from pyvider.common.stop_signal import request_stop, reset_stop_signal

from provider.client import NotFoundError, ServerError, TransportError
from provider.client.breaker import CircuitOpenError
from provider.client.kinds import APPLICATION_ENV_VAR, Kind, Read
from provider.client.limits import READ, Permit, RateLimits, classify
from provider.client.metrics import ClientMetrics
from provider.client.waiting import StopRequested, operation_deadline
from provider.logs import HclogJsonFormatter
from tests.provider.client.support import BASE, made_up_api_client

NOW = "2026-01-01T00:00:00.000Z"

# Kinds of a made-up API: any object ("x", "a", "b"), objects by id, and a service with children.
X = Kind("x", "x", read=Read.SINGLETON)
A = Kind("a", "a", read=Read.SINGLETON)
B = Kind("b", "b", read=Read.SINGLETON)
THINGS = Kind("thing", "things")  # nothing identifies a create
ITEMS = Kind("item", "items")
APPS = Kind("app", "apps", summary_list=True, match=("display_name",))
APP_ENV_VARS = Kind("app env var", "env-vars", APPS, Read.LISTED, match=("key",))


make_client = functools.partial(made_up_api_client, retry_attempts=3, api_key="super-secret-key")


def fresh_created_at() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


@respx.mock
async def test_429_waits_for_the_reset_header() -> None:
    client = make_client()
    route = respx.get(f"{BASE}/x").mock(
        side_effect=[
            httpx.Response(
                429, headers={"x-ratelimit-reset": "0.3", "retry-after": "5"}, json={"message": "slow"}
            ),
            httpx.Response(200, json={"ok": True}),
        ]
    )
    started = time.monotonic()
    assert await client.requester.get(X.ref()) == {"ok": True}
    elapsed = time.monotonic() - started
    assert route.call_count == 2
    assert 0.3 <= elapsed < 3, "waited x-ratelimit-reset, not Retry-After"
    assert client.metrics.responses_429 == 1 and client.metrics.retries == 1


@respx.mock
async def test_429_without_reset_uses_retry_after() -> None:
    client = make_client()
    respx.post(f"{BASE}/things").mock(
        side_effect=[
            httpx.Response(429, headers={"retry-after": "0.2"}, json={"message": "slow"}),
            httpx.Response(201, json={"id": "t1"}),
        ]
    )
    started = time.monotonic()
    assert await client.create(THINGS.collection(), {"name": "a"}) == {"id": "t1"}
    assert time.monotonic() - started >= 0.2


@respx.mock
async def test_5xx_on_get_is_retried() -> None:
    client = make_client()
    route = respx.get(f"{BASE}/x").mock(
        side_effect=[httpx.Response(503, json={"message": "busy"}), httpx.Response(200, json={"v": 1})]
    )
    assert await client.requester.get(X.ref()) == {"v": 1}
    assert route.call_count == 2


@respx.mock
async def test_connection_reset_on_delete_is_retried() -> None:
    client = make_client()
    route = respx.delete(f"{BASE}/items/1").mock(side_effect=[httpx.ReadError("reset"), httpx.Response(204)])
    assert await client.delete(ITEMS.ref("1")) is None
    assert route.call_count == 2


@respx.mock
async def test_5xx_on_post_without_match_is_not_retried() -> None:
    client = make_client()
    route = respx.post(f"{BASE}/things").respond(500, json={"message": "boom"})
    with pytest.raises(ServerError):
        await client.create(THINGS.collection(), {"name": "a"})
    assert route.call_count == 1


@respx.mock
async def test_5xx_on_post_after_commit_is_reconciled_not_duplicated() -> None:
    client = make_client()
    created = {"id": "e1", "key": "FOO", "value": "bar", "created_at": fresh_created_at()}
    post = respx.post(f"{BASE}/apps/a/env-vars").respond(500, json={"message": "boom"})
    listing = respx.get(f"{BASE}/apps/a/env-vars").respond(
        200, json={"data": [{"id": "old", "key": "OTHER", "created_at": NOW}, created], "total": 2}
    )
    result = await client.create(APP_ENV_VARS.collection("a"), {"key": "FOO", "value": "bar"})
    assert result == created
    assert post.call_count == 1, "a committed create must not be sent twice"
    assert listing.call_count == 1
    assert client.metrics.creates_reconciled == 1


@respx.mock
async def test_ambiguous_post_that_did_nothing_is_tried_again() -> None:
    client = make_client()
    post = respx.post(f"{BASE}/apps").mock(
        side_effect=[httpx.RemoteProtocolError("dropped"), httpx.Response(201, json={"id": "a1"})]
    )
    respx.get(f"{BASE}/apps").respond(200, json={"data": [], "total": 0})
    assert await client.create(APPS.collection(), {"display_name": "web"}) == {"id": "a1"}
    assert post.call_count == 2


@respx.mock
async def test_reconciled_top_level_create_fetches_the_full_object() -> None:
    client = make_client()
    respx.post(f"{BASE}/apps").respond(502, json={"message": "bad gateway"})
    respx.get(f"{BASE}/apps").respond(
        200,
        json={"data": [{"id": "a9", "display_name": "web", "created_at": fresh_created_at()}], "total": 1},
    )
    full = respx.get(f"{BASE}/apps/a9").respond(
        200, json={"id": "a9", "display_name": "web", "build_type": "pack"}
    )
    assert (await client.create(APPS.collection(), {"display_name": "web"}))["build_type"] == "pack"
    assert full.call_count == 1


@respx.mock
async def test_old_object_with_the_same_name_is_not_adopted() -> None:
    client = make_client(retry_attempts=0)
    respx.post(f"{BASE}/apps").respond(500, json={"message": "boom"})
    respx.get(f"{BASE}/apps").respond(
        200,
        json={
            "data": [{"id": "old", "display_name": "web", "created_at": "2020-01-01T00:00:00Z"}],
            "total": 1,
        },
    )
    with pytest.raises(ServerError):
        await client.create(APPS.collection(), {"display_name": "web"})


@respx.mock
async def test_open_breaker_waits_for_its_probe_and_recovers() -> None:
    # cool-down 0.32 s: the first probe comes after 1/16 of it (0.02 s)
    client = make_client(retry_attempts=0, breaker_threshold=2, breaker_cooldown=0.32)
    route = respx.get(f"{BASE}/x").mock(
        side_effect=[
            httpx.Response(500, json={}),
            httpx.Response(500, json={}),
            httpx.Response(200, json={"v": 2}),
        ]
    )
    for _ in range(2):
        with pytest.raises(ServerError):
            await client.requester.get(X.ref(), fresh=True)
    assert client.requester.breaker.state == "open"
    # Not a fast failure: the request waits for the probe, is the probe, and succeeds.
    assert await client.requester.get(X.ref(), fresh=True) == {"v": 2}
    assert route.call_count == 3
    assert client.requester.breaker.state == "closed" and client.requester.breaker.trips == 1


@respx.mock
async def test_half_open_admits_a_single_probe_and_the_others_wait_for_it() -> None:
    client = make_client(retry_attempts=0, breaker_threshold=1, breaker_cooldown=0.16)
    release = asyncio.Event()
    sent = 0
    answers = iter([httpx.Response(500, json={}), None, httpx.Response(200, json={"ok": 2})])

    async def answer(request: httpx.Request) -> httpx.Response:
        nonlocal sent
        sent += 1
        response = next(answers)
        if response is None:  # the probe: answered when the test says
            await release.wait()
            return httpx.Response(200, json={"ok": 1})
        return response

    respx.get(f"{BASE}/x").mock(side_effect=answer)
    with pytest.raises(ServerError):
        await client.requester.get(X.ref(), fresh=True)
    probe = asyncio.create_task(client.requester.get(X.ref(), fresh=True))
    await asyncio.sleep(0.1)
    waiter = asyncio.create_task(client.requester.get(X.ref(), fresh=True))
    await asyncio.sleep(0.1)
    assert sent == 2, "while the probe runs, nothing else is sent"
    assert not waiter.done()
    release.set()
    assert await probe == {"ok": 1}
    assert await waiter == {"ok": 2}
    assert client.requester.breaker.state == "closed"


@respx.mock
async def test_an_outage_longer_than_the_patience_fails_naming_the_last_cause() -> None:
    client = make_client(retry_attempts=50, breaker_threshold=1, breaker_cooldown=0.08, outage_timeout=0.3)
    respx.get(f"{BASE}/x").mock(return_value=httpx.Response(503, json={"message": "down for upgrade"}))
    # Retries left, but the outage outlasts outage_timeout: the call ends, naming the real failure.
    with pytest.raises(CircuitOpenError, match="did not recover in 0.3s.*down for upgrade"):
        await client.requester.get(X.ref(), fresh=True)


@respx.mock
async def test_open_breaker_wait_ends_by_the_deadline_with_the_cause() -> None:
    client = make_client(retry_attempts=0, breaker_threshold=1, breaker_cooldown=600, outage_timeout=600)
    respx.get(f"{BASE}/x").mock(return_value=httpx.Response(502, json={"message": "bad gateway"}))
    with pytest.raises(ServerError):
        await client.requester.get(X.ref(), fresh=True)
    with operation_deadline(0.2), pytest.raises(CircuitOpenError, match="timeout came first.*bad gateway"):
        await client.requester.get(X.ref(), fresh=True)


@respx.mock
async def test_api_that_never_answered_fails_fast_once_the_circuit_opens() -> None:
    # A wrong URL or no network: nothing to ride out, the circuit refuses at once.
    client = make_client(retry_attempts=0, breaker_threshold=1, breaker_cooldown=600)
    respx.get(f"{BASE}/x").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(TransportError):
        await client.requester.get(X.ref(), fresh=True)
    with pytest.raises(CircuitOpenError, match="not answered this provider process.*refused"):
        await client.requester.get(X.ref(), fresh=True)


@respx.mock
async def test_refused_connections_in_an_outage_are_ridden_through() -> None:
    # The API answered before; then 4 refused connections (more than retry_attempts=2), then back.
    client = make_client(retry_attempts=2, breaker_threshold=3, breaker_cooldown=0.16)
    respx.get(f"{BASE}/x").mock(
        side_effect=[httpx.Response(200, json={"v": 1})]
        + [httpx.ConnectError("refused")] * 4
        + [httpx.Response(200, json={"v": 2})]
    )
    assert await client.requester.get(X.ref(), fresh=True) == {"v": 1}
    assert await client.requester.get(X.ref(), fresh=True) == {"v": 2}
    assert client.requester.breaker.trips == 1


@respx.mock
async def test_first_request_of_a_window_that_gets_no_answer_hands_over_its_turn() -> None:
    # The probe of a new rate-limit window is cancelled (Terraform stopped it) before any answer:
    # the next request must become the probe, not wait forever for an answer that never comes.
    client = make_client(rate_limit_enabled=True)
    never = asyncio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        await never.wait()
        return httpx.Response(200, json={})

    respx.get(f"{BASE}/a").mock(side_effect=hang)
    respx.get(f"{BASE}/b").respond(
        200, json={"b": 1}, headers={"x-ratelimit-remaining": "5", "x-ratelimit-reset": "60"}
    )
    first = asyncio.create_task(client.requester.get(A.ref(), fresh=True))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(client.requester.get(B.ref(), fresh=True))
    await asyncio.sleep(0.05)
    assert not second.done(), "the second request of an unknown window waits for the first's answer"
    first.cancel()
    assert await asyncio.wait_for(second, 5) == {"b": 1}


@respx.mock
async def test_first_request_refused_by_the_breaker_does_not_block_the_window() -> None:
    # The bug of issue 10: the probe of a new window raised in the breaker before its answer
    # was observed, and every later request of the window waited forever.
    client = make_client(rate_limit_enabled=True, retry_attempts=0, breaker_threshold=1, breaker_cooldown=600)
    respx.get(f"{BASE}/x").mock(side_effect=httpx.ConnectError("refused"))
    with pytest.raises(TransportError):
        await client.requester.get(X.ref(), fresh=True)
    for _ in range(3):
        with pytest.raises(CircuitOpenError):
            await asyncio.wait_for(client.requester.get(X.ref(), fresh=True), 5)


async def test_a_request_waiting_for_the_window_probe_ends_on_stop() -> None:
    client = make_client(rate_limit_enabled=True)
    window = client.requester.limits._window(*classify("GET", X.ref()))
    window.probing = True  # someone else's first request, still unanswered
    waiter = asyncio.create_task(client.requester.limits.acquire("GET", X.ref()))
    await asyncio.sleep(0.05)
    request_stop()
    try:
        with pytest.raises(StopRequested):
            await asyncio.wait_for(waiter, 5)
    finally:
        reset_stop_signal()


@respx.mock
async def test_429_on_any_method_is_waited_out_without_spending_retries() -> None:
    client = make_client(retry_attempts=0)
    limited = httpx.Response(429, json={"message": "slow"}, headers={"x-ratelimit-reset": "0.01"})
    get = respx.get(f"{BASE}/x").mock(side_effect=[limited] * 5 + [httpx.Response(200, json={"v": 1})])
    delete = respx.delete(f"{BASE}/x").mock(side_effect=[limited] * 5 + [httpx.Response(204)])
    assert await client.requester.get(X.ref(), fresh=True) == {"v": 1}
    assert await client.delete(X.ref()) is None
    assert get.call_count == 6 and delete.call_count == 6


@respx.mock
async def test_cache_serves_repeats_and_writes_invalidate_object_and_parent() -> None:
    client = make_client()
    app = respx.get(f"{BASE}/apps/a").respond(200, json={"id": "a"})
    env = respx.get(f"{BASE}/apps/a/env-vars").respond(200, json=[])
    await client.requester.get(APPS.ref("a"))
    await client.requester.get(APPS.ref("a"))
    await client.list_all(APP_ENV_VARS.collection("a"))
    assert (app.call_count, env.call_count) == (1, 1)
    assert client.metrics.cache_hits == 1
    respx.put(f"{BASE}/apps/a/env-vars/e1").respond(200, json={"id": "e1"})
    await client.replace(APP_ENV_VARS.ref("a", "e1"), {"value": "x"})
    await client.requester.get(APPS.ref("a"))
    await client.list_all(APP_ENV_VARS.collection("a"))
    assert (app.call_count, env.call_count) == (2, 2)


@respx.mock
async def test_errors_are_not_cached() -> None:
    client = make_client()
    route = respx.get(f"{BASE}/apps/gone").respond(404, json={"message": "Not Found"})
    for _ in range(2):
        with pytest.raises(NotFoundError):
            await client.requester.get(APPS.ref("gone"))
    assert route.call_count == 2


@respx.mock
async def test_read_that_began_before_a_write_is_not_stored() -> None:
    client = make_client()
    read_started, write_done = asyncio.Event(), asyncio.Event()

    async def slow_read(request: httpx.Request) -> httpx.Response:
        read_started.set()
        await write_done.wait()
        return httpx.Response(200, json={"name": "old"})

    route = respx.get(f"{BASE}/apps/a").mock(
        side_effect=[slow_read, httpx.Response(200, json={"name": "new"})]
    )
    respx.patch(f"{BASE}/apps/a").respond(200, json={"name": "new"})
    reader = asyncio.create_task(client.requester.get(APPS.ref("a")))
    await read_started.wait()
    await client.update(APPS.ref("a"), {"name": "new"})
    write_done.set()
    assert await reader == {"name": "old"}
    assert await client.requester.get(APPS.ref("a")) == {"name": "new"}, (
        "the stale read must not have been cached"
    )
    assert route.call_count == 2


@respx.mock
async def test_pool_limit_caps_connections_in_use() -> None:
    client = make_client(max_open_conns=2)
    concurrent = peak = 0

    async def slow(request: httpx.Request) -> httpx.Response:
        nonlocal concurrent, peak
        concurrent += 1
        peak = max(peak, concurrent)
        await asyncio.sleep(0.05)
        concurrent -= 1
        return httpx.Response(200, json={})

    respx.get(url__regex=rf"{BASE}/items/\d+").mock(side_effect=slow)
    await asyncio.gather(*(client.requester.get(ITEMS.ref(str(i))) for i in range(8)))
    assert peak == 2
    assert client.metrics.max_in_flight == 2


@respx.mock
async def test_token_bucket_paces_requests() -> None:
    client = make_client(rate_limit_enabled=True, rate_limit_per_second=10, rate_limit_burst=1)
    respx.get(url__regex=rf"{BASE}/items/\d+").respond(200, json={})
    started = time.monotonic()
    for i in range(4):
        await client.requester.get(ITEMS.ref(str(i)))
    assert time.monotonic() - started >= 0.25, "burst 1 at 10/s: 4 requests need at least 0.3s"


@respx.mock
async def test_tier_pacing_waits_for_the_announced_reset_instead_of_a_429() -> None:
    client = make_client(rate_limit_enabled=True, rate_limit_per_second=1000, rate_limit_burst=1000)
    calls: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        calls.append(time.monotonic())
        remaining = "0" if len(calls) == 1 else "5"
        return httpx.Response(
            200,
            headers={
                "x-ratelimit-limit": "1",
                "x-ratelimit-remaining": remaining,
                "x-ratelimit-reset": "0.4",
            },
            json={},
        )

    respx.get(url__regex=rf"{BASE}/items/\d+").mock(side_effect=answer)
    await client.requester.get(ITEMS.ref("1"))
    await client.requester.get(ITEMS.ref("2"))
    assert calls[1] - calls[0] >= 0.35, "the second read waited for the window to reset"
    assert client.metrics.rate_limit_waits >= 1


@respx.mock
async def test_no_secret_in_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="sevalla")
    logging.getLogger("sevalla").propagate = True
    client = make_client()
    respx.post(f"{BASE}/apps/a/env-vars").respond(201, json={"id": "e", "value": "hidden-value"})
    await client.create(APP_ENV_VARS.collection("a"), {"key": "K", "value": "hidden-value"})
    formatter = HclogJsonFormatter()
    logged = "\n".join(formatter.format(record) for record in caplog.records)
    assert "POST apps/a/env-vars -> 201" in logged
    assert "[REDACTED]" in logged
    assert "super-secret-key" not in logged and "hidden-value" not in logged


async def test_metrics_summary_line_and_file(tmp_path: Any) -> None:
    target = tmp_path / "metrics.jsonl"
    client = make_client(metrics_file=str(target))
    client.metrics.request_started("GET")
    client.metrics.request_finished()
    await client.aclose()
    await client.aclose()
    lines = target.read_text().splitlines()
    assert len(lines) == 1 and '"api_calls_total": 1' in lines[0]
    assert "api calls 1 (GET=1)" in client.metrics.summary_line()


def test_settings_are_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        make_client().settings.api_key = "x"  # type: ignore[misc]


async def test_a_new_window_starts_with_a_probe_of_the_servers_count() -> None:
    # Requests still in flight from the old window, and other processes, may already have spent
    # part of the new one: its first request goes alone and its answer sets the count.
    now = [0.0]
    limits = RateLimits(
        enabled=True, per_second=1000, burst=1000, metrics=ClientMetrics(), clock=lambda: now[0]
    )
    first = await limits.acquire("POST", APPLICATION_ENV_VAR.collection("a"))
    assert first.probe
    limits.observe(
        first, {"x-ratelimit-remaining": "29", "x-ratelimit-reset": "60", "x-ratelimit-limit": "30"}
    )
    assert not (await limits.acquire("POST", APPLICATION_ENV_VAR.collection("a"))).probe
    now[0] = 61.0
    assert (await limits.acquire("POST", APPLICATION_ENV_VAR.collection("a"))).probe


async def test_an_answer_of_a_new_server_window_is_taken_at_its_count() -> None:
    """A last answer of the old window said 0 left; the first of the next one must not be min'd
    with it (a provider process was locked out of a whole fresh window, waiting 56 s)."""
    now = [0.0]
    limits = RateLimits(
        enabled=True, per_second=1000, burst=1000, metrics=ClientMetrics(), clock=lambda: now[0]
    )
    ref = APPLICATION_ENV_VAR.ref("a", "e")
    last = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1", "x-ratelimit-limit": "400"}
    limits.observe(await limits.acquire("GET", ref), last)
    now[0] = 0.5  # still our old window: the next window's first answer comes
    limits.observe(
        Permit(READ, "company"),  # a request of another RPC, sent meanwhile
        {"x-ratelimit-remaining": "399", "x-ratelimit-reset": "60", "x-ratelimit-limit": "400"},
    )
    started = asyncio.get_running_loop().time()
    await asyncio.wait_for(limits.acquire("GET", ref), 1.0)
    assert asyncio.get_running_loop().time() - started < 0.5
