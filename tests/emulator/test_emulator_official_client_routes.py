"""Routes the official client uses (FIDELITY.md "Routes of the official client"): auth, 404,
rate-limit tier, refusals, and asynchronous effects read back on the injected clock."""

from __future__ import annotations

import httpx
import pytest

from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES
from emulator.testing import FakeClock

DELAY = 2
GENERAL_WRITE_LIMIT = "30"
DATABASE = {
    "display_name": "My Database",
    "type": "postgresql",
    "version": "16",
    "cluster_id": CLUSTERS[0]["id"],
    "resource_type_id": DATABASE_RESOURCE_TYPES[0]["id"],
    "db_name": "my_database",
    "db_password": "securePassword123",
}


async def started(start_emulator):
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=DELAY)
    return clock, emulator


async def assert_guarded(emulator, method: str, path: str, missing: str) -> None:
    """401 without a key, 404 for an unknown id, general-write tier headers."""
    async with httpx.AsyncClient(base_url=emulator.url) as anonymous:
        assert (await anonymous.request(method, path)).status_code == 401
    unknown = await emulator.api.request(method, missing)
    assert unknown.status_code == 404, unknown.text


async def test_application_suspend_and_activate(start_emulator, new_app) -> None:
    clock, emulator = await started(start_emulator)
    app = await new_app(emulator)
    url = f"/applications/{app['id']}"
    await assert_guarded(emulator, "POST", f"{url}/suspend", "/applications/nope/suspend")
    await assert_guarded(emulator, "POST", f"{url}/activate", "/applications/nope/activate")
    assert (await emulator.api.post(f"{url}/activate")).status_code == 422  # not suspended
    suspended = await emulator.api.post(f"{url}/suspend")
    assert suspended.status_code == 200 and set(suspended.json()) == {"message"}
    assert suspended.headers["x-ratelimit-limit"] == GENERAL_WRITE_LIMIT
    body = (await emulator.api.get(url)).json()
    assert (body["is_suspended"], body["status"]) == (False, "inactive")  # not yet: asynchronous
    assert (await emulator.api.post(f"{url}/suspend")).status_code == 422  # one under way
    clock.advance(DELAY)
    body = (await emulator.api.get(url)).json()
    assert (body["is_suspended"], body["status"]) == (True, "suspended")
    listed = (await emulator.api.get("/applications")).json()["data"][0]
    assert (listed["is_suspended"], listed["status"]) == (True, "suspended")
    assert (await emulator.api.post(f"{url}/suspend")).status_code == 422  # already suspended
    activated = await emulator.api.post(f"{url}/activate")
    assert activated.status_code == 200 and set(activated.json()) == {"message"}
    assert (await emulator.api.get(url)).json()["is_suspended"] is True
    clock.advance(DELAY)
    body = (await emulator.api.get(url)).json()
    assert (body["is_suspended"], body["status"]) == (False, "inactive")


async def test_application_cdn_toggle(start_emulator, new_app) -> None:
    _, emulator = await started(start_emulator)
    app = await new_app(emulator)
    url = f"/applications/{app['id']}"
    await assert_guarded(emulator, "POST", f"{url}/cdn/toggle", "/applications/nope/cdn/toggle")
    assert (await emulator.api.get(url)).json()["is_cdn_enabled"] is False
    on = await emulator.api.post(f"{url}/cdn/toggle")
    assert on.status_code == 200 and on.json() == {"is_turned_on": True}
    assert on.headers["x-ratelimit-limit"] == GENERAL_WRITE_LIMIT
    assert (await emulator.api.get(url)).json()["is_cdn_enabled"] is True
    assert (await emulator.api.post(f"{url}/cdn/toggle")).json() == {"is_turned_on": False}
    assert (await emulator.api.get(url)).json()["is_cdn_enabled"] is False


async def test_database_external_connection_toggle(start_emulator) -> None:
    clock, emulator = await started(start_emulator)
    database = (await emulator.api.post("/databases", json=DATABASE)).json()
    url = f"/databases/{database['id']}"
    toggle = f"{url}/external-connection/toggle"
    await assert_guarded(emulator, "POST", toggle, "/databases/nope/external-connection/toggle")
    refused = await emulator.api.post(toggle)
    assert refused.status_code == 422 and "creating" in refused.text
    clock.advance(DELAY)
    answer = await emulator.api.post(toggle)
    assert answer.status_code == 200 and set(answer.json()) == {"message"}
    assert answer.headers["x-ratelimit-limit"] == GENERAL_WRITE_LIMIT
    assert (await emulator.api.get(url)).json()["external_hostname"] is None  # asynchronous
    assert (await emulator.api.post(toggle)).status_code == 422  # one under way
    clock.advance(DELAY)
    body = (await emulator.api.get(url)).json()
    assert body["external_hostname"] and isinstance(body["external_port"], str)
    assert (await emulator.api.post(toggle)).status_code == 200
    clock.advance(DELAY)
    body = (await emulator.api.get(url)).json()
    assert (body["external_hostname"], body["external_port"]) == (None, None)


async def test_object_storage_cdn_domain(start_emulator) -> None:
    clock, emulator = await started(start_emulator)
    bucket = (await emulator.api.post("/object-storage", json={"display_name": "Assets"})).json()
    url = f"/object-storage/{bucket['id']}"
    await assert_guarded(emulator, "POST", f"{url}/domain", "/object-storage/nope/domain")
    await assert_guarded(emulator, "DELETE", f"{url}/domain", "/object-storage/nope/domain")
    assert (await emulator.api.get(url)).json()["domain"] is None
    assert (await emulator.api.delete(f"{url}/domain")).status_code == 422  # not enabled
    enabled = await emulator.api.post(f"{url}/domain")
    assert enabled.status_code == 200 and set(enabled.json()) == {"message"}
    assert enabled.headers["x-ratelimit-limit"] == GENERAL_WRITE_LIMIT
    assert (await emulator.api.get(url)).json()["domain"] is None  # asynchronous
    assert (await emulator.api.delete(f"{url}/domain")).status_code == 422  # one under way
    clock.advance(DELAY)
    assert (await emulator.api.get(url)).json()["domain"] == f"{bucket['name']}.sevalla.storage"
    assert (await emulator.api.post(f"{url}/domain")).status_code == 422  # already enabled
    disabled = await emulator.api.delete(f"{url}/domain")
    assert disabled.status_code == 200 and set(disabled.json()) == {"message"}
    clock.advance(DELAY)
    assert (await emulator.api.get(url)).json()["domain"] is None


async def _parent(emulator, new_app, kind: str) -> str:
    if kind == "applications":
        return str((await new_app(emulator))["id"])
    body = {"display_name": "Edge"}
    if kind == "static-sites":
        body = {"display_name": "Docs", "repo_url": "https://github.com/user/docs", "default_branch": "main"}
    response = await emulator.api.post(f"/{kind}", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.mark.parametrize("kind", ["applications", "static-sites", "load-balancers"])
async def test_domain_set_primary_toggle_refresh(start_emulator, new_app, kind: str) -> None:
    clock, emulator = await started(start_emulator)
    base = f"/{kind}/{await _parent(emulator, new_app, kind)}/domains"
    first = (await emulator.api.post(base, json={"domain_name": "a.example.com"})).json()
    second = (await emulator.api.post(base, json={"domain_name": "b.example.com"})).json()

    def shown(domains: list, domain_id: str) -> dict:
        return next(domain for domain in domains if domain["id"] == domain_id)

    for action in ("set-primary", "toggle", "refresh-status"):
        await assert_guarded(emulator, "POST", f"{base}/{first['id']}/{action}", f"{base}/nope/{action}")
        assert (await emulator.api.post(f"/{kind}/nope/domains/{first['id']}/{action}")).status_code == 404

    primary = await emulator.api.post(f"{base}/{first['id']}/set-primary")
    assert primary.status_code == 200 and set(primary.json()) == {"message"}
    assert primary.headers["x-ratelimit-limit"] == GENERAL_WRITE_LIMIT
    assert (await emulator.api.get(f"{base}/{first['id']}")).json()["is_primary"] is False  # asynchronous
    clock.advance(DELAY)
    assert shown((await emulator.api.get(base)).json(), first["id"])["is_primary"] is True
    assert (await emulator.api.post(f"{base}/{first['id']}/toggle")).status_code == 422  # the primary
    assert (await emulator.api.post(f"{base}/{second['id']}/set-primary")).status_code == 200
    clock.advance(DELAY)
    domains = (await emulator.api.get(base)).json()
    assert (shown(domains, first["id"])["is_primary"], shown(domains, second["id"])["is_primary"]) == (
        False,
        True,
    )

    toggled = await emulator.api.post(f"{base}/{first['id']}/toggle")
    assert toggled.status_code == 200 and set(toggled.json()) == {"message"}
    assert (await emulator.api.get(f"{base}/{first['id']}")).json()["is_enabled"] is True
    clock.advance(DELAY)
    assert (await emulator.api.get(f"{base}/{first['id']}")).json()["is_enabled"] is False
    assert (await emulator.api.post(f"{base}/{first['id']}/set-primary")).status_code == 422  # disabled
    assert (await emulator.api.post(f"{base}/{first['id']}/toggle")).status_code == 200
    clock.advance(DELAY)
    assert (await emulator.api.get(f"{base}/{first['id']}")).json()["is_enabled"] is True

    refreshed = await emulator.api.post(f"{base}/{second['id']}/refresh-status")
    assert refreshed.status_code == 200 and set(refreshed.json()) == {"message"}
    assert (await emulator.api.get(f"{base}/{second['id']}")).json()["status"] == "ACTIVE"


async def test_pipeline_preview(start_emulator) -> None:
    _, emulator = await started(start_emulator)
    pipeline = (
        await emulator.api.post("/pipelines", json={"display_name": "Release", "type": "trunk"})
    ).json()
    url = f"/pipelines/{pipeline['id']}"
    await emulator.api.post(f"{url}/stages", json={"display_name": "Production", "insert_before": 0})
    await assert_guarded(emulator, "POST", f"{url}/preview/enable", "/pipelines/nope/preview/enable")
    await assert_guarded(emulator, "POST", f"{url}/preview/disable", "/pipelines/nope/preview/disable")
    await assert_guarded(emulator, "PUT", f"{url}/preview", "/pipelines/nope/preview")
    assert (await emulator.api.post(f"{url}/preview/disable")).status_code == 422  # not enabled
    assert (await emulator.api.put(f"{url}/preview", json={"stale_app_days": 3})).status_code == 422

    enabled = await emulator.api.post(f"{url}/preview/enable")
    assert enabled.status_code == 200 and set(enabled.json()) == {"message"}
    assert enabled.headers["x-ratelimit-limit"] == GENERAL_WRITE_LIMIT
    assert (await emulator.api.post(f"{url}/preview/enable")).status_code == 422  # already enabled
    stages = (await emulator.api.get(url)).json()["stages"]
    assert [(stage["type"], stage["order"]) for stage in stages] == [("preview", 0), ("standard", 1)]

    fields = {"repo_url": "https://github.com/user/app", "auto_create_app": True, "delete_stale_apps": True,
              "stale_app_days": 7}  # fmt: skip
    assert (await emulator.api.put(f"{url}/preview", json={"stale_app_days": -1})).status_code == 422
    updated = await emulator.api.put(f"{url}/preview", json=fields)
    assert updated.status_code == 200 and set(updated.json()) == {"message"}
    assert updated.headers["x-ratelimit-limit"] == GENERAL_WRITE_LIMIT
    preview = (await emulator.api.get(url)).json()["stages"][0]
    assert {key: preview[key] for key in fields} == fields

    disabled = await emulator.api.post(f"{url}/preview/disable")
    assert disabled.status_code == 200 and set(disabled.json()) == {"message"}
    stages = (await emulator.api.get(url)).json()["stages"]
    assert [(stage["type"], stage["order"]) for stage in stages] == [("standard", 0)]
