from __future__ import annotations

import asyncio
import time

import httpx
import pytest
import respx
from pyvider.common.stop_signal import request_stop, reset_stop_signal

from provider.client.kinds import USERS
from provider.client.limits import RateLimits
from provider.client.metrics import ClientMetrics
from provider.client.waiting import DeadlineExceeded, StopRequested, operation_deadline, pause, seconds_left


async def test_pause_sleeps() -> None:
    started = time.monotonic()
    await pause(0.2, "test")
    assert time.monotonic() - started >= 0.2


async def test_pause_refuses_to_outlast_the_deadline() -> None:
    with operation_deadline(0.5):
        left = seconds_left()
        assert left is not None and 0 < left <= 0.5
        started = time.monotonic()
        with pytest.raises(DeadlineExceeded, match="timeout"):
            await pause(5, "rate limit")
        assert time.monotonic() - started < 0.1, "must fail at once, not after waiting"
    assert seconds_left() is None


async def test_nested_deadlines_keep_the_earliest() -> None:
    with operation_deadline(1), operation_deadline(100):
        left = seconds_left()
        assert left is not None and left <= 1


async def test_stop_interrupts_a_wait() -> None:
    async def stop_soon() -> None:
        await asyncio.sleep(0.1)
        request_stop()

    try:
        stopper = asyncio.create_task(stop_soon())
        started = time.monotonic()
        with pytest.raises(StopRequested):
            await pause(10, "backoff")
        assert time.monotonic() - started < 1
        await stopper
    finally:
        reset_stop_signal()


async def test_the_token_bucket_wait_ends_on_stop() -> None:
    # One request per 1000 s: the second waits on aiolimiter, which knows nothing of Stop.
    limits = RateLimits(enabled=True, per_second=0.001, burst=1, metrics=ClientMetrics())
    permit = await limits.acquire("GET", USERS.collection())
    limits.observe(permit, {"x-ratelimit-remaining": "100", "x-ratelimit-reset": "60"})
    waiter = asyncio.create_task(limits.acquire("GET", USERS.collection()))
    await asyncio.sleep(0.1)
    assert not waiter.done()
    request_stop()
    try:
        with pytest.raises(StopRequested):
            await asyncio.wait_for(waiter, 5)
    finally:
        reset_stop_signal()


# --- progress: what a wait tells at INFO, and the record of long ones -------------------------


def test_progress_tells_start_every_change_and_end(caplog: pytest.LogCaptureFixture) -> None:
    from provider.client.waiting import Progress, recording_waits

    caplog.set_level("INFO", logger="sevalla.client")
    with recording_waits() as waits, operation_deadline(600):
        progress = Progress("the database d1", "ready")
        for status in ("creating", "creating", "updating", "ready"):
            progress.saw(status)
        progress.done()
    lines = [record.getMessage() for record in caplog.records]
    assert lines[0].startswith("waiting for the database d1: ready, deadline in ")
    changes = [line.split(" after ")[0] for line in lines if "->" in line]
    # The repeated status is not told again.
    assert changes == ["the database d1: creating -> updating", "the database d1: updating -> ready"]
    assert lines[-1].startswith("the database d1: ready after ")
    (record,) = waits
    assert record.statuses == ("creating", "updating", "ready")
    assert record.summary().endswith("(creating -> updating -> ready)")


async def test_a_pause_of_a_second_is_told_and_recorded(caplog: pytest.LogCaptureFixture) -> None:
    from provider.client.waiting import recording_waits

    caplog.set_level("INFO", logger="sevalla.client")
    with recording_waits() as waits:
        await pause(1.0, "the creation rate limit")
        await pause(0.01, "pacing")  # short: DEBUG only, not recorded
    lines = [record.getMessage() for record in caplog.records]
    assert lines == ["waiting 1.0s: the creation rate limit", "waited 1.0s: the creation rate limit"]
    assert [wait.what for wait in waits] == ["the creation rate limit"]


@respx.mock
async def test_queueing_for_a_connection_is_told(caplog: pytest.LogCaptureFixture) -> None:
    """With one connection, a request behind a slow one waits for it: told at INFO and recorded."""
    from provider.client import SevallaClient
    from provider.client.kinds import APPLICATION
    from provider.client.waiting import recording_waits
    from provider.settings import ProviderSettings

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(1.1)
        return httpx.Response(200, json={"id": request.url.path.rsplit("/", 1)[-1]})

    respx.get(url__regex=r"https://api\.test/v3/applications/a\d").mock(side_effect=slow)
    settings = ProviderSettings(
        api_key="k",
        api_url="https://api.test/v3",
        max_open_conns=1,
        rate_limit_enabled=False,
        cache_enabled=False,
    )
    client = SevallaClient(settings, user_agent="test")
    caplog.set_level("INFO", logger="sevalla.client")
    with recording_waits() as waits:
        await asyncio.gather(*(client.requester.get(APPLICATION.ref(f"a{n}")) for n in (1, 2)))
    await client.aclose()
    assert any("queued for one of the 1 connections" in wait.what for wait in waits), waits
    assert any("waited " in r.getMessage() and "max_open_conns" in r.getMessage() for r in caplog.records)
