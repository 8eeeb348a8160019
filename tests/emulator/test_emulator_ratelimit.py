"""Rate-limit tiers: classification, 429 with Retry-After and headers, window reset, disabled mode."""

from __future__ import annotations

import pytest

from emulator.ratelimit import (
    COMPANY,
    CREATION,
    DEPLOYMENT,
    GENERAL_WRITE,
    READ,
    SERVICE_MUTATION,
    classify,
)
from emulator.testing import FakeClock


@pytest.mark.parametrize(
    ("method", "path", "tier", "scope"),
    [
        ("GET", "/applications", READ, COMPANY),
        ("GET", "/applications/a1/env-vars", READ, COMPANY),
        ("POST", "/applications", CREATION, COMPANY),
        ("POST", "/object-storage", CREATION, COMPANY),
        ("POST", "/pipelines", CREATION, COMPANY),
        ("PATCH", "/applications/a1", SERVICE_MUTATION, "a1"),
        ("DELETE", "/databases/d1", SERVICE_MUTATION, "d1"),
        ("PUT", "/static-sites/s1", SERVICE_MUTATION, "s1"),
        ("POST", "/applications/a1/deployments", DEPLOYMENT, "a1"),
        ("POST", "/applications/a1/env-vars", GENERAL_WRITE, COMPANY),
        ("PUT", "/applications/a1/env-vars/e1", GENERAL_WRITE, COMPANY),
        ("DELETE", "/applications/a1/domains/d1", GENERAL_WRITE, COMPANY),
        ("POST", "/applications/a1/suspend", GENERAL_WRITE, COMPANY),
    ],
)
def test_classify(method: str, path: str, tier, scope: str) -> None:
    assert classify(method, path) == (tier, scope)


async def test_mutation_tier_429_then_window_resets(start_emulator, new_app) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, rate_window_seconds=30)
    app = await new_app(emulator)
    other = await new_app(emulator, display_name="Other")
    url = f"/applications/{app['id']}"
    for attempt in range(10):
        response = await emulator.api.patch(url, json={"auto_deploy": attempt % 2 == 0})
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "10"
        assert response.headers["x-ratelimit-remaining"] == str(9 - attempt)
        assert response.headers["x-ratelimit-reset"] == "30"
    clock.advance(12.5)
    refused = await emulator.api.patch(url, json={"auto_deploy": True})
    assert refused.status_code == 429
    assert refused.json() == {
        "message": "Too Many Requests",
        "status": 429,
        "data": {"code": "RATE_LIMITED", "message": "Rate limit exceeded for tier service_mutation"},
    }
    assert refused.headers["Retry-After"] == refused.headers["x-ratelimit-reset"] == "18"
    assert refused.headers["x-ratelimit-remaining"] == "0"
    assert refused.headers["x-request-id"]
    # The tier is per service: another application and other tiers are unaffected.
    assert (
        await emulator.api.patch(f"/applications/{other['id']}", json={"auto_deploy": False})
    ).status_code == 200
    assert (await emulator.api.get(url)).status_code == 200
    # A new window lets it through again.
    clock.advance(18)
    again = await emulator.api.patch(url, json={"auto_deploy": True})
    assert again.status_code == 200 and again.headers["x-ratelimit-remaining"] == "9"


async def test_reset_is_at_least_one_second(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, rate_window_seconds=10)
    await emulator.api.get("/applications")
    clock.advance(9.95)
    assert (await emulator.api.get("/applications")).headers["x-ratelimit-reset"] == "1"


async def test_creation_tier_is_hourly(start_emulator, new_app) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, rate_window_seconds=1)
    for _ in range(20):
        await new_app(emulator)
    clock.advance(30)  # 30 "minutes" later the hourly window still runs
    refused = await emulator.api.post("/databases", json={})
    assert refused.status_code == 429
    assert refused.json()["data"]["message"] == "Rate limit exceeded for tier creation"
    assert refused.headers["x-ratelimit-limit"] == "20"
    assert refused.headers["Retry-After"] == "30"


async def test_general_write_and_read_limits(start_emulator, new_app) -> None:
    emulator = await start_emulator()
    app = await new_app(emulator)
    url = f"/applications/{app['id']}/env-vars"
    statuses = [
        (await emulator.api.post(url, json={"key": f"K{i}", "value": "v"})).status_code for i in range(31)
    ]
    assert statuses == [201] * 30 + [429]
    read = await emulator.api.get(url)
    assert read.headers["x-ratelimit-limit"] == "400"
    assert read.headers["x-ratelimit-remaining"] == "399"


async def test_unauthorized_requests_are_not_counted(emulator, new_app) -> None:
    await emulator.api.get("/applications")
    for _ in range(3):
        refused = await emulator.control.get("/v3/applications")
        assert refused.status_code == 401
        assert refused.headers["x-ratelimit-remaining"] == "399"
    assert (await emulator.api.get("/applications")).headers["x-ratelimit-remaining"] == "398"


async def test_disabled_never_refuses_and_announces_a_full_budget(start_emulator, new_app) -> None:
    # A client pacing itself by the headers must not wait when the tiers are off.
    emulator = await start_emulator(rate_limits_enabled=False)
    app = await new_app(emulator)
    for _ in range(15):
        response = await emulator.api.patch(f"/applications/{app['id']}", json={"auto_deploy": True})
        assert response.status_code == 200
        assert response.headers["x-ratelimit-limit"] == "10"
        assert response.headers["x-ratelimit-remaining"] == "10"
        assert int(response.headers["x-ratelimit-reset"]) >= 1
    assert "429" not in (await emulator.stats())["by_status"]


async def test_control_reset_of_rate_limits(start_emulator, new_app) -> None:
    emulator = await start_emulator()
    app = await new_app(emulator)
    for _ in range(10):
        await emulator.api.patch(f"/applications/{app['id']}", json={"auto_deploy": True})
    assert (await emulator.api.patch(f"/applications/{app['id']}", json={})).status_code == 429
    assert (await emulator.control.post("/_emulator/ratelimits/reset")).status_code == 200
    assert (await emulator.api.patch(f"/applications/{app['id']}", json={})).status_code == 200
