"""Targeted faults, the run-time database delay, the object list, and restarts on the same port."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from emulator.__main__ import parse_args
from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES
from emulator.faults import Faults, Target
from emulator.process import EmulatorProcess
from emulator.testing import FakeClock, InProcessEmulator

APP_BODY = {"display_name": "Target", "cluster_id": CLUSTERS[0]["id"], "source": "publicGit"}
APP_ROUTE = "/v3/applications/{id}"
ENV_ROUTE = "/v3/applications/{id}/env-vars"


async def new_app(emulator: InProcessEmulator) -> dict[str, Any]:
    response = await emulator.api.post("/applications", json=APP_BODY)
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_status_after_skip_for_count_requests(unlimited: InProcessEmulator) -> None:
    app = await new_app(unlimited)
    await unlimited.set_faults(
        targeted=[{"method": "PATCH", "route": APP_ROUTE, "status": 503, "skip": 1, "count": 2}]
    )
    path = f"/applications/{app['id']}"
    statuses = [
        (await unlimited.api.patch(path, json={"display_name": f"n{i}"})).status_code for i in range(4)
    ]
    assert statuses == [200, 503, 503, 200]
    # Only the matching method and route: a GET of the same path and other PATCHes pass.
    assert (await unlimited.api.get(path)).json()["display_name"] == "n3"
    failed = await unlimited.api.patch(path, json={})
    assert failed.status_code == 200
    stats = await unlimited.stats()
    assert stats["faults"]["targeted"] == 2
    assert stats["by_route"]["PATCH " + APP_ROUTE] == 5


async def test_any_status_has_the_api_error_shape(unlimited: InProcessEmulator) -> None:
    app = await new_app(unlimited)
    await unlimited.set_faults(
        targeted=[
            {"method": "PATCH", "route": APP_ROUTE, "status": 422},
            {"method": "GET", "route": APP_ROUTE, "status": 429},
        ]
    )
    refused = await unlimited.api.patch(f"/applications/{app['id']}", json={"display_name": "x"})
    assert refused.status_code == 422
    assert refused.json()["status"] == 422 and refused.json()["data"]["code"].startswith("UNPROCESSABLE")
    limited = await unlimited.api.get(f"/applications/{app['id']}")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    # Not committed: the PATCH did nothing.
    assert (await unlimited.api.get(f"/applications/{app['id']}")).json()["display_name"] == "Target"


async def test_commit_then_fail_stores_the_object(unlimited: InProcessEmulator) -> None:
    app = await new_app(unlimited)
    await unlimited.set_faults(
        targeted=[{"method": "POST", "route": ENV_ROUTE, "status": 500, "commit": True}]
    )
    path = f"/applications/{app['id']}/env-vars"
    assert (await unlimited.api.post(path, json={"key": "A", "value": "1"})).status_code == 500
    listed = (await unlimited.api.get(path)).json()["data"]
    assert [item["key"] for item in listed] == ["A"]
    # The next POST of the same key meets the API's uniqueness rule.
    again = await unlimited.api.post(path, json={"key": "A", "value": "1"})
    assert again.status_code == 422 and again.json()["data"]["fields"] == {"key": ["has already been taken"]}


async def test_drop_without_commit_stores_nothing(unlimited: InProcessEmulator) -> None:
    await unlimited.set_faults(targeted=[{"method": "POST", "route": "/v3/applications", "drop": True}])
    with pytest.raises(httpx.TransportError):
        await unlimited.api.post("/applications", json=APP_BODY)
    assert (await unlimited.objects())["total"] == 0
    assert (await unlimited.stats())["by_status"] == {"dropped": 1}


async def test_hold_keeps_a_committed_answer_in_flight(unlimited: InProcessEmulator) -> None:
    """What a test needs to kill a client after the server made the object, before it learns so."""
    await unlimited.set_faults(
        targeted=[{"method": "POST", "route": "/v3/applications", "commit": True, "hold_ms": 400}]
    )
    pending = asyncio.ensure_future(unlimited.api.post("/applications", json=APP_BODY))
    for _ in range(300):  # the fault is counted once the object is committed
        if (await unlimited.stats())["faults"]["targeted"]:
            break
        await asyncio.sleep(0.001)
    assert (await unlimited.objects())["applications"] == 1  # committed ...
    assert not pending.done()  # ... and not answered yet
    response = await pending
    assert response.status_code == 201 and response.json()["display_name"] == "Target"


async def test_targets_do_not_shift_the_seeded_mix(unlimited: InProcessEmulator) -> None:
    async def outcomes(targeted: list[dict[str, Any]]) -> list[str]:
        await unlimited.set_faults(error_5xx_percent=30, drop_percent=20, seed=11, targeted=targeted)
        seen = []
        for index in range(40):
            method = "DELETE" if index % 5 == 0 else "GET"
            try:
                response = await unlimited.api.request(method, "/applications/nope")
                seen.append(f"{method} {response.status_code}")
            except httpx.TransportError:
                seen.append(f"{method} dropped")
        return seen

    plain = await outcomes([])
    targeted = await outcomes([{"method": "DELETE", "route": APP_ROUTE, "status": 418, "count": 100}])
    for before, after in zip(plain, targeted, strict=True):
        if before.startswith("GET"):
            assert before == after
        else:
            assert after == "DELETE 418"
    assert len(set(plain)) >= 3  # the mix did something


@pytest.mark.parametrize(
    ("target", "field", "problem"),
    [
        ({"method": "FETCH", "route": "/v3/x", "status": 500}, "targeted[0].method", "must be one of"),
        ({"route": "/v3/x", "status": 500}, "targeted[0].method", "is required"),
        ({"method": "GET", "route": "/v3/x", "status": 200}, "targeted[0].status", "must be at least 400"),
        ({"method": "GET", "route": "/v3/x", "status": 500, "count": 0}, "targeted[0].count", "at least 1"),
        ({"method": "GET", "route": "/v3/x", "status": 500, "when": 1}, "targeted[0].when", "not a known"),
        ({"method": "GET", "route": "/v3/x"}, "targeted[0]", "needs a status, drop or hold_ms"),
    ],
)
async def test_bad_targets_are_422(
    emulator: InProcessEmulator, target: dict[str, Any], field: str, problem: str
) -> None:
    response = await emulator.control.put("/_emulator/faults", json={"targeted": [target]})
    assert response.status_code == 422, response.text
    fields = response.json()["data"]["fields"]
    assert field in fields and problem in fields[field][0], fields
    assert (await emulator.faults())["targeted"] == []


def test_target_value_validates() -> None:
    with pytest.raises(ValueError, match="needs a status"):
        Target(method="GET", route="/v3/x")
    faults = Faults(targeted=[{"method": "GET", "route": "/v3/x", "drop": True}])  # type: ignore[list-item]
    assert faults.targeted == (Target(method="GET", route="/v3/x", drop=True),)
    assert faults.as_json()["targeted"][0]["drop"] is True


def test_cli_takes_targets_as_json() -> None:
    targets = '[{"method": "PATCH", "route": "/v3/applications/{id}", "status": 503, "count": 2}]'
    args = parse_args(["--fault-targeted", targets])
    assert args.faults.targeted == (Target(method="PATCH", route=APP_ROUTE, status=503, count=2),)
    with pytest.raises(SystemExit):
        parse_args(["--fault-targeted", '{"method": "GET"}'])


# ---------------------------------------------------------------- run-time database delay


async def test_db_ready_delay_changes_at_run_time_also_for_transitions_under_way(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=600, rate_limits_enabled=False)
    assert (await emulator.control.get("/_emulator/timing")).json()["db_ready_delay_seconds"] == 600
    body = {
        "display_name": "Slow",
        "type": "postgresql",
        "version": "16",
        "cluster_id": CLUSTERS[0]["id"],
        "resource_type_id": DATABASE_RESOURCE_TYPES[0]["id"],
        "db_name": "slow",
        "db_password": "secret-pass",
    }
    created = (await emulator.api.post("/databases", json=body)).json()
    clock.advance(10)
    assert (await emulator.api.get(f"/databases/{created['id']}")).json()["status"] == "creating"
    changed = await emulator.control.put("/_emulator/timing", json={"db_ready_delay_seconds": 5})
    assert changed.json()["db_ready_delay_seconds"] == 5
    assert (await emulator.api.get(f"/databases/{created['id']}")).json()["status"] == "ready"
    for bad in ({"db_ready_delay_seconds": -1}, {}, {"db_ready_delay_seconds": "soon"}):
        assert (await emulator.control.put("/_emulator/timing", json=bad)).status_code == 422
    nan = await emulator.control.put(
        "/_emulator/timing",
        content=b'{"db_ready_delay_seconds": NaN}',
        headers={"content-type": "application/json"},
    )
    assert nan.status_code == 422
    assert (await emulator.control.get("/_emulator/timing")).json()["db_ready_delay_seconds"] == 5


async def test_object_list_marks_what_the_platform_made(unlimited: InProcessEmulator) -> None:
    app = await new_app(unlimited)
    await unlimited.api.post(f"/applications/{app['id']}/env-vars", json={"key": "K", "value": "v"})
    listed = (await unlimited.control.get("/_emulator/objects/list")).json()["objects"]
    assert [(item["kind"], item["implicit"]) for item in listed] == [
        ("applications", False),
        ("application_processes", True),
        ("application_env_vars", False),
    ]
    assert listed[0]["id"] == app["id"] and listed[0]["parent_id"] is None
    assert listed[2]["parent_id"] == app["id"] and listed[2]["body"]["key"] == "K"
    assert not any(key.startswith("_") for item in listed for key in item["body"])


# ---------------------------------------------------------------- restarts


def _outcomes(emulator: EmulatorProcess, count: int) -> list[str]:
    auth = {"Authorization": f"Bearer {emulator.api_key}"}
    seen = []
    with httpx.Client(headers=auth) as client:
        for _ in range(count):
            try:
                seen.append(str(client.get(emulator.url + "/applications").status_code))
            except httpx.TransportError:
                seen.append("dropped")
    return seen


def test_restart_keeps_port_and_objects_and_replays_the_seed(tmp_path) -> None:
    faults = Faults(error_5xx_percent=30, drop_percent=20, rate_limit_percent=10, seed=1234)
    with EmulatorProcess(
        db_path=tmp_path / "e.db", api_key="k", rate_limits_enabled=False, faults=faults
    ) as emulator:
        url, port = emulator.url, emulator.port
        assert url.endswith(f":{port}/v3")
        first = _outcomes(emulator, 30)
        emulator.set_faults()  # no faults, to create an object
        created = httpx.post(url + "/applications", headers={"Authorization": "Bearer k"}, json=APP_BODY)
        assert created.status_code == 201
        emulator.restart(0.2)  # SIGKILL, down, up again
        assert emulator.running and emulator.url == url and emulator.port == port
        assert emulator.objects()["applications"] == 1  # the file kept it
        assert emulator.faults() == faults.as_json()  # start-up faults again, stream restarted
        assert _outcomes(emulator, 30) == first  # the same seed replays the same faults
        assert {"dropped", "200"} <= set(first) and len(set(first)) >= 4
        emulator.stop()
        assert not emulator.running
        with pytest.raises(httpx.TransportError):
            httpx.get(url + "/applications")
        emulator.start()
        assert emulator.url == url
