"""Application sub-APIs: deployments, deployment hook, IP restriction, TCP proxies, private ports,
global env vars — shapes, 422s, 404s, cascade delete and /_emulator/objects counts."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from emulator.routes.deployments import DEPLOY_SECONDS_ENV
from emulator.testing import FakeClock, InProcessEmulator

UNKNOWN = "00000000-0000-4000-8000-000000000000"
NewApp = Callable[..., Awaitable[dict[str, Any]]]


async def web_process_id(emulator: InProcessEmulator, app_id: str) -> str:
    processes = (await emulator.api.get(f"/applications/{app_id}/processes")).json()["data"]
    return str(processes[0]["id"])


# ---------------------------------------------------------------- deployments


@pytest.fixture
async def clocked(
    start_emulator: Callable[..., Awaitable[InProcessEmulator]], monkeypatch: pytest.MonkeyPatch
) -> tuple[InProcessEmulator, FakeClock]:
    monkeypatch.setenv(DEPLOY_SECONDS_ENV, "3")
    clock = FakeClock()
    return await start_emulator(clock=clock, rate_limits_enabled=False), clock


async def test_deployment_moves_from_waiting_to_success(clocked, new_app: NewApp) -> None:
    emulator, clock = clocked
    app = await new_app(emulator, default_branch="main", repo_url="https://github.com/x/y")
    response = await emulator.api.post(f"/applications/{app['id']}/deployments", json={})
    assert response.status_code == 201, response.text
    deployment = response.json()
    assert deployment["status"] == "waiting"
    assert (deployment["app_id"], deployment["branch"], deployment["finished_at"]) == (
        app["id"],
        "main",
        None,
    )
    assert not [key for key in deployment if key.startswith("_")]
    path = f"/applications/{app['id']}/deployments/{deployment['id']}"
    seen = []
    for _ in range(4):
        seen.append((await emulator.api.get(path)).json()["status"])
        clock.advance(1)
    assert seen == ["waiting", "building", "deploying", "success"]
    assert (await emulator.api.get(path)).json()["finished_at"] is not None


async def test_failing_branch_or_image_ends_failed(clocked, new_app: NewApp) -> None:
    emulator, clock = clocked
    app = await new_app(emulator)
    by_branch = (
        await emulator.api.post(f"/applications/{app['id']}/deployments", json={"branch": "fail"})
    ).json()
    docker = await new_app(emulator, source="dockerImage", docker_image="example/fail:1")
    by_image = (await emulator.api.post(f"/applications/{docker['id']}/deployments", json={})).json()
    clock.advance(3)
    for app_id, deployment in ((app["id"], by_branch), (docker["id"], by_image)):
        body = (await emulator.api.get(f"/applications/{app_id}/deployments/{deployment['id']}")).json()
        assert body["status"] == "failed"


async def test_cancel_and_list(clocked, new_app: NewApp) -> None:
    emulator, clock = clocked
    app = await new_app(emulator)
    base = f"/applications/{app['id']}/deployments"
    first = (await emulator.api.post(base, json={"is_restart": True})).json()
    assert first["type"] == "restart"
    cancelled = await emulator.api.post(f"{base}/{first['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    second = (await emulator.api.post(base, json={})).json()
    clock.advance(3)
    late = await emulator.api.post(f"{base}/{second['id']}/cancel")
    assert late.status_code == 422
    listed = (await emulator.api.get(base, params={"limit": 1})).json()
    assert listed["total"] == 2 and len(listed["data"]) == 1
    assert (await emulator.api.patch(f"{base}/{first['id']}", json={})).status_code == 405
    assert (await emulator.api.delete(f"{base}/{first['id']}")).status_code == 405


async def test_deployment_validation_and_unknown_parent(
    unlimited: InProcessEmulator, new_app: NewApp
) -> None:
    app = await new_app(unlimited)
    bad = await unlimited.api.post(f"/applications/{app['id']}/deployments", json={"is_restart": "yes"})
    assert bad.status_code == 422 and "is_restart" in bad.json()["data"]["fields"]
    missing = await unlimited.api.post(f"/applications/{UNKNOWN}/deployments", json={})
    assert missing.status_code == 404
    assert (await unlimited.api.get(f"/applications/{app['id']}/deployments/{UNKNOWN}")).status_code == 404


# ---------------------------------------------------------------- deployment hook


async def test_deployment_hook_enable_regenerate_disable(
    unlimited: InProcessEmulator, new_app: NewApp
) -> None:
    app = await new_app(unlimited)
    path = f"/applications/{app['id']}/deployment-hook"
    assert (await unlimited.api.get(path)).status_code == 404
    created = await unlimited.api.post(path)
    assert created.status_code == 201
    url = created.json()["url"]
    assert url.startswith("https://") and app["id"] in url
    assert (await unlimited.api.get(path)).json() == {"url": url}
    assert (await unlimited.api.post(path)).status_code == 422
    regenerated = (await unlimited.api.put(path)).json()["url"]
    assert regenerated != url
    assert (await unlimited.control.get("/_emulator/objects")).json()["application_deployment_hooks"] == 1
    assert (await unlimited.api.delete(path)).status_code == 204
    assert (await unlimited.api.get(path)).status_code == 404
    assert (await unlimited.api.delete(path)).status_code == 404
    assert (await unlimited.api.get(f"/applications/{UNKNOWN}/deployment-hook")).status_code == 404


# ---------------------------------------------------------------- IP restriction


async def test_ip_restriction_put_get_and_reset(unlimited: InProcessEmulator, new_app: NewApp) -> None:
    app = await new_app(unlimited)
    path = f"/applications/{app['id']}/ip-restriction"
    assert (await unlimited.api.get(path)).json() == {"type": "allow", "is_enabled": False, "ip_list": []}
    wanted = {"type": "deny", "is_enabled": True, "ip_list": ["10.0.0.0/8", "192.0.2.1"]}
    response = await unlimited.api.put(path, json=wanted)
    assert response.status_code == 200 and response.json() == wanted
    assert (await unlimited.api.get(path)).json() == wanted
    assert (await unlimited.control.get("/_emulator/objects")).json()["application_ip_restrictions"] == 1
    bad = await unlimited.api.put(path, json={"type": "block", "is_enabled": True, "ip_list": ["nope"]})
    assert bad.status_code == 422
    assert set(bad.json()["data"]["fields"]) == {"type", "ip_list[0]"}
    assert (await unlimited.api.put(path, json={"type": "allow"})).status_code == 422
    await unlimited.api.put(path, json={"type": "allow", "is_enabled": False, "ip_list": []})
    assert (await unlimited.control.get("/_emulator/objects")).json()["application_ip_restrictions"] == 0
    assert (await unlimited.api.get(f"/applications/{UNKNOWN}/ip-restriction")).status_code == 404


# ---------------------------------------------------------------- TCP proxies and private ports


@pytest.mark.parametrize("collection", ["tcp-proxies", "private-ports"])
async def test_process_ports(unlimited: InProcessEmulator, new_app: NewApp, collection: str) -> None:
    app = await new_app(unlimited)
    process_id = await web_process_id(unlimited, app["id"])
    base = f"/applications/{app['id']}/{collection}"
    response = await unlimited.api.post(base, json={"process_id": process_id, "port": 5432})
    assert response.status_code == 201, response.text
    created = response.json()
    assert (created["app_id"], created["process_id"], created["port"], created["status"]) == (
        app["id"],
        process_id,
        5432,
        "active",
    )
    if collection == "tcp-proxies":
        assert 30000 <= created["external_port"] <= 32767 and created["hostname"]
    assert (await unlimited.api.get(f"{base}/{created['id']}")).json() == created
    assert (await unlimited.api.get(base)).json()["total"] == 1
    duplicate = await unlimited.api.post(base, json={"process_id": process_id, "port": 5432})
    assert duplicate.status_code == 422
    wrong = await unlimited.api.post(base, json={"process_id": UNKNOWN, "port": 1})
    assert wrong.status_code == 422 and "process_id" in wrong.json()["data"]["fields"]
    assert (await unlimited.api.post(base, json={"port": 70000})).status_code == 422
    assert (await unlimited.api.post(f"/applications/{UNKNOWN}/{collection}", json={})).status_code == 404
    assert (await unlimited.api.delete(f"{base}/{created['id']}")).status_code == 204
    assert (await unlimited.api.get(f"{base}/{created['id']}")).status_code == 404


# ---------------------------------------------------------------- global env vars


async def test_global_env_vars_crud_and_pagination(unlimited: InProcessEmulator) -> None:
    base = "/applications/global-env-vars"
    ids = []
    for index in range(3):
        response = await unlimited.api.post(base, json={"key": f"KEY_{index}", "value": "v"})
        assert response.status_code == 201, response.text
        ids.append(response.json()["id"])
    first = (await unlimited.api.get(base, params={"limit": 2})).json()
    assert first["total"] == 3 and len(first["data"]) == 2
    assert first["data"][0]["value"] == "v" and first["data"][0]["is_runtime"] is True, "full objects"
    assert (await unlimited.api.post(base, json={"key": "KEY_0", "value": "x"})).status_code == 422
    assert (await unlimited.api.post(base, json={"value": "x"})).status_code == 422
    updated = await unlimited.api.put(f"{base}/{ids[0]}", json={"value": "changed", "is_buildtime": False})
    assert updated.status_code == 200
    assert (updated.json()["value"], updated.json()["is_buildtime"]) == ("changed", False)
    assert (await unlimited.api.delete(f"{base}/{ids[0]}")).status_code == 204
    assert (await unlimited.api.put(f"{base}/{UNKNOWN}", json={"value": "x"})).status_code == 404
    assert (await unlimited.control.get("/_emulator/objects")).json()["global_env_vars"] == 2


# ---------------------------------------------------------------- cascade


async def test_application_delete_cascades_to_every_child(
    unlimited: InProcessEmulator, new_app: NewApp
) -> None:
    app = await new_app(unlimited)
    base = f"/applications/{app['id']}"
    process_id = await web_process_id(unlimited, app["id"])
    await unlimited.api.post(f"{base}/deployments", json={})
    await unlimited.api.post(f"{base}/deployment-hook")
    await unlimited.api.put(
        f"{base}/ip-restriction", json={"type": "allow", "is_enabled": True, "ip_list": []}
    )
    await unlimited.api.post(f"{base}/tcp-proxies", json={"process_id": process_id, "port": 1})
    await unlimited.api.post(f"{base}/private-ports", json={"process_id": process_id, "port": 1})
    counts = (await unlimited.control.get("/_emulator/objects")).json()
    for kind in (
        "application_deployments",
        "application_deployment_hooks",
        "application_ip_restrictions",
        "application_tcp_proxies",
        "application_private_ports",
    ):
        assert counts[kind] == 1, kind
    assert (await unlimited.api.delete(base)).status_code == 204
    assert (await unlimited.control.get("/_emulator/objects")).json()["total"] == 0
