"""Fault injection: 5xx, 429, dropped connections, latency, ambiguous creates, control and stats."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import pytest

from emulator.catalog import CLUSTERS
from emulator.faults import Faults
from emulator.testing import InProcessEmulator

APP_BODY = {"display_name": "Flaky", "cluster_id": CLUSTERS[0]["id"], "source": "publicGit"}
NO_FAULTS = {"error_5xx": 0, "rate_limit": 0, "drop": 0, "ambiguous_create": 0, "targeted": 0}
ERROR_CODES = {500: "INTERNAL_SERVER_ERROR", 502: "BAD_GATEWAY", 503: "SERVICE_UNAVAILABLE"}


async def list_apps(emulator: InProcessEmulator) -> list[dict[str, Any]]:
    response = await emulator.api.get("/applications")
    assert response.status_code == 200, response.text
    data: list[dict[str, Any]] = response.json()["data"]
    return data


async def test_5xx_answers_the_error_body_and_does_nothing(unlimited: InProcessEmulator) -> None:
    await unlimited.set_faults(error_5xx_percent=100, seed=7)
    statuses = set()
    for _ in range(30):
        response = await unlimited.api.post("/applications", json=APP_BODY)
        assert response.status_code in ERROR_CODES
        statuses.add(response.status_code)
        assert response.json() == {
            "message": response.reason_phrase,
            "status": response.status_code,
            "data": {
                "code": ERROR_CODES[response.status_code],
                "message": "Injected fault: the emulator pretends to be failing.",
            },
        }
        assert response.headers["x-request-id"]
        assert response.headers["x-ratelimit-limit"] == "20"
    assert statuses == set(ERROR_CODES)  # the seed spreads them over 500, 502 and 503
    assert (await unlimited.api.get("/applications")).status_code in ERROR_CODES
    assert (await unlimited.objects())["total"] == 0
    stats = await unlimited.stats()
    assert stats["faults"] == {**NO_FAULTS, "error_5xx": 31}
    assert stats["by_route"] == {"POST /v3/applications": 30, "GET /v3/applications": 1}
    assert sum(stats["by_status"].values()) == 31 and "201" not in stats["by_status"]


async def test_429_with_retry_after_and_rate_headers(unlimited: InProcessEmulator) -> None:
    await unlimited.set_faults(rate_limit_percent=100, rate_limit_reset_seconds=7)
    response = await unlimited.api.post("/applications", json=APP_BODY)
    assert response.status_code == 429
    assert response.json()["data"]["code"] == "RATE_LIMITED"
    assert response.headers["Retry-After"] == response.headers["x-ratelimit-reset"] == "7"
    assert response.headers["x-ratelimit-remaining"] == "0"
    assert response.headers["x-ratelimit-limit"] == "20"
    await unlimited.set_faults(rate_limit_percent=100)
    response = await unlimited.api.get("/applications")
    assert response.status_code == 429 and response.headers["Retry-After"] == "1"
    assert (await unlimited.objects())["total"] == 0
    assert (await unlimited.stats())["faults"] == {**NO_FAULTS, "rate_limit": 2}


async def test_drop_closes_the_connection_without_a_response(unlimited: InProcessEmulator) -> None:
    await unlimited.set_faults(drop_percent=100)
    for _ in range(3):
        with pytest.raises(httpx.TransportError):
            await unlimited.api.post("/applications", json=APP_BODY)
    await unlimited.clear_faults()
    assert await list_apps(unlimited) == []  # the server survived and created nothing
    stats = await unlimited.stats()
    assert stats["by_status"] == {"dropped": 3, "200": 1}
    assert stats["by_route"]["POST /v3/applications"] == 3
    assert stats["faults"] == {**NO_FAULTS, "drop": 3}


async def test_latency_delays_every_request_concurrently(unlimited: InProcessEmulator) -> None:
    async def timed(count: int) -> float:
        started = time.perf_counter()
        for _ in range(count):
            assert (await unlimited.api.get("/applications")).status_code == 200
        return time.perf_counter() - started

    baseline = await timed(5)
    await unlimited.set_faults(latency_ms=100, latency_jitter_ms=20)
    delayed = await timed(5)
    assert delayed >= 0.5
    assert delayed > baseline + 0.4
    # asyncio.sleep: ten requests at once take about one delay, not ten.
    started = time.perf_counter()
    responses = await asyncio.gather(*(unlimited.api.get("/applications") for _ in range(10)))
    assert all(response.status_code == 200 for response in responses)
    assert 0.1 <= time.perf_counter() - started < 0.9


async def test_ambiguous_create_error_commits_then_answers_500(unlimited: InProcessEmulator) -> None:
    await unlimited.set_faults(ambiguous_create_percent=100)
    response = await unlimited.api.post("/applications", json=APP_BODY)
    assert response.status_code == 500
    assert response.json()["data"]["code"] == "INTERNAL_SERVER_ERROR"
    apps = await list_apps(unlimited)  # reads are not creates: not faulted
    assert [app["display_name"] for app in apps] == ["Flaky"]
    # A refused POST (422, 404) creates nothing and is answered as usual.
    assert (await unlimited.api.post("/applications", json={})).status_code == 422
    assert (await unlimited.api.post("/applications/nope/env-vars", json={})).status_code == 404
    # Nested creates count too.
    env = await unlimited.api.post(f"/applications/{apps[0]['id']}/env-vars", json={"key": "A", "value": "1"})
    assert env.status_code == 500
    listed = await unlimited.api.get(f"/applications/{apps[0]['id']}/env-vars")
    assert [item["key"] for item in listed.json()["data"]] == ["A"]
    assert len(await list_apps(unlimited)) == 1
    assert (await unlimited.stats())["faults"] == {**NO_FAULTS, "ambiguous_create": 2}


async def test_ambiguous_create_drop_commits_then_closes(unlimited: InProcessEmulator) -> None:
    await unlimited.set_faults(ambiguous_create_percent=100, ambiguous_mode="drop")
    with pytest.raises(httpx.TransportError):
        await unlimited.api.post("/applications", json=APP_BODY)
    apps = await list_apps(unlimited)
    assert len(apps) == 1 and apps[0]["display_name"] == "Flaky"
    stats = await unlimited.stats()
    assert stats["by_status"]["dropped"] == 1 and "201" not in stats["by_status"]
    assert stats["faults"] == {**NO_FAULTS, "ambiguous_create": 1}


async def test_control_endpoints_and_bad_keys_are_never_faulted(unlimited: InProcessEmulator) -> None:
    await unlimited.set_faults(error_5xx_percent=50, drop_percent=50, latency_ms=300)
    started = time.perf_counter()
    for path in ("/_emulator/health", "/_emulator/stats", "/_emulator/objects", "/_emulator/faults"):
        assert (await unlimited.control.get(path)).status_code == 200
    assert time.perf_counter() - started < 0.3 * 4
    # Faults come after auth: a bad key is a plain, undelayed 401.
    bad = await unlimited.api.get("/applications", headers={"Authorization": "Bearer wrong"})
    assert bad.status_code == 401
    assert (await unlimited.stats())["faults"] == NO_FAULTS


async def test_put_get_delete_faults(emulator: InProcessEmulator) -> None:
    defaults = Faults().as_json()
    assert defaults == {
        "error_5xx_percent": 0,
        "rate_limit_percent": 0,
        "rate_limit_reset_seconds": 1,
        "drop_percent": 0,
        "latency_ms": 0,
        "latency_jitter_ms": 0,
        "ambiguous_create_percent": 0,
        "ambiguous_mode": "error",
        "seed": None,
        "targeted": [],
    }
    assert await emulator.faults() == defaults
    first = await emulator.set_faults(error_5xx_percent=10, latency_ms=5, seed=3)
    assert first == {**defaults, "error_5xx_percent": 10, "latency_ms": 5, "seed": 3}
    assert await emulator.faults() == first
    # PUT replaces the whole setting: the earlier fields go back to their defaults.
    second = await emulator.set_faults(drop_percent=20)
    assert second == await emulator.faults() == {**defaults, "drop_percent": 20}
    assert (await emulator.control.delete("/_emulator/faults")).json() == defaults
    assert await emulator.faults() == defaults


@pytest.mark.parametrize(
    ("body", "field", "problem"),
    [
        ({"error_5xx_percent": 101}, "error_5xx_percent", "must be at most 100"),
        ({"drop_percent": -1}, "drop_percent", "must be at least 0"),
        ({"latency_ms": "fast"}, "latency_ms", "must be an integer"),
        ({"rate_limit_percent": True}, "rate_limit_percent", "must be an integer"),
        ({"ambiguous_mode": "maybe"}, "ambiguous_mode", "must be one of: error, drop"),
        ({"seed": 1.5}, "seed", "must be an integer"),
        ({"error_percent": 5}, "error_percent", "is not a known fault setting"),
        (
            {"error_5xx_percent": 60, "drop_percent": 50},
            "error_5xx_percent",
            "plus rate_limit_percent and drop_percent must be at most 100",
        ),
    ],
)
async def test_put_faults_rejects_bad_values(
    emulator: InProcessEmulator, body: dict[str, Any], field: str, problem: str
) -> None:
    await emulator.set_faults(latency_ms=1)
    response = await emulator.control.put("/_emulator/faults", json=body)
    assert response.status_code == 422
    assert response.json()["data"]["fields"] == {field: [problem]}
    assert (await emulator.faults())["latency_ms"] == 1  # unchanged


async def test_put_faults_needs_a_json_object(emulator: InProcessEmulator) -> None:
    assert (await emulator.control.put("/_emulator/faults", json=[1])).status_code == 400
    assert (await emulator.control.put("/_emulator/faults", content=b"{")).status_code == 400


async def test_seeded_mix_is_reproducible_and_counted(unlimited: InProcessEmulator) -> None:
    async def outcomes() -> list[str]:
        seen = []
        for _ in range(60):
            try:
                seen.append(str((await unlimited.api.get("/applications")).status_code))
            except httpx.TransportError:
                seen.append("dropped")
        return seen

    mix = {
        "error_5xx_percent": 20,
        "rate_limit_percent": 20,
        "drop_percent": 20,
        "rate_limit_reset_seconds": 0,
    }
    await unlimited.set_faults(**mix, seed=42)
    first = await outcomes()
    stats = await unlimited.stats()
    counts = stats["faults"]
    assert counts["error_5xx"] == sum(status in {"500", "502", "503"} for status in first)
    assert counts["rate_limit"] == first.count("429")
    assert counts["drop"] == first.count("dropped") == stats["by_status"]["dropped"]
    assert counts["ambiguous_create"] == 0
    assert all(8 <= counts[kind] <= 20 for kind in ("error_5xx", "rate_limit", "drop"))
    assert 20 <= first.count("200") <= 52
    # The same seed replays the same faults; the stats reset clears the counts.
    assert (await unlimited.control.post("/_emulator/stats/reset")).json()["faults"] == NO_FAULTS
    await unlimited.set_faults(**mix, seed=42)
    assert await outcomes() == first


async def test_initial_faults_from_settings(start_emulator) -> None:
    emulator = await start_emulator(faults=Faults(rate_limit_percent=100, rate_limit_reset_seconds=2))
    assert (await emulator.faults())["rate_limit_percent"] == 100
    response = await emulator.api.get("/applications")
    assert response.status_code == 429 and response.headers["Retry-After"] == "2"


def test_faults_value_validates() -> None:
    with pytest.raises(ValueError):
        Faults(error_5xx_percent=101)
    with pytest.raises(ValueError, match="at most 100"):
        Faults(error_5xx_percent=50, rate_limit_percent=30, drop_percent=30)
    with pytest.raises(ValueError):
        Faults(ambiguous_mode="sometimes")
    assert Faults(error_5xx_percent=50, rate_limit_percent=50).refusal_percent == 100
