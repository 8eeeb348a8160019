"""A Redis that wants a password, plain (`redis://`) and with TLS (`rediss://`, a self-signed
certificate named in the URL's `ssl_ca_certs`), as a managed Redis is: the shared budget and the
shared reads work; a wrong password falls back with one WARNING naming neither password."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest

from devtools.redis_server import RedisServer
from provider.client.kinds import APPLICATION
from provider.client.shared import SharedState
from provider.client.sharedreads import SharedReads

API_URL = "https://api.test/v3"
KEY = "password-test-key"
PASSWORD = "redis-pass-w0rd"
APP = APPLICATION.ref("app-1")


@pytest.fixture(scope="module", params=["redis://", "rediss://"])
def guarded_redis(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RedisServer]:
    directory = tmp_path_factory.mktemp("redis-password")
    server = RedisServer(directory, password=PASSWORD, tls=request.param == "rediss://").start()
    yield server
    server.stop()


async def test_the_budget_and_the_reads_are_shared_through_it(guarded_redis: RedisServer) -> None:
    assert guarded_redis.url.startswith("rediss://" if guarded_redis.certificate else "redis://")
    states = [SharedState.from_url(guarded_redis.url, API_URL, KEY) for _ in range(2)]
    fetched: list[int] = []

    async def fetch() -> Any:
        fetched.append(1)
        return {"id": APP.id, "name": "shared"}

    try:
        assert await states[0].take("read", "company", 400, 60) == 0.0
        for state in states:
            assert await SharedReads(state, KEY, 300.0).get(APP, None, fetch) == {
                "id": APP.id,
                "name": "shared",
            }
        assert len(fetched) == 1, "the second process used the first one's read"
        assert all(state.available for state in states)
        keys = guarded_redis.client().keys("*")
        assert any(b":rl:" in key for key in keys) and any(b":rd:" in key for key in keys)
    finally:
        for state in states:
            await state.aclose()


async def test_a_wrong_password_falls_back_with_one_warning(
    guarded_redis: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="sevalla.client")
    wrong = guarded_redis.url.replace(PASSWORD, "not-the-pass-w0rd")
    state = SharedState.from_url(wrong, API_URL, KEY)
    try:
        assert await state.take("read", "company", 400, 60) is None
        assert await SharedReads(state, KEY, 300.0).get(APP, None, _answer) == {"id": APP.id}
    finally:
        await state.aclose()
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "falling back" in warnings[0].getMessage()
    assert PASSWORD not in caplog.text and "not-the-pass-w0rd" not in caplog.text


async def _answer() -> Any:
    return {"id": APP.id}
