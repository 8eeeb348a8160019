"""SQLite persistence across restarts, request statistics and object counts."""

from __future__ import annotations

import asyncio
import uuid

from emulator.testing import InProcessEmulator


async def test_objects_survive_a_restart_on_the_same_file(start_emulator, new_app, tmp_path) -> None:
    db = str(tmp_path / "emulator.sqlite")
    first = await start_emulator(db_path=db)
    app = await new_app(first)
    env = (
        await first.api.post(f"/applications/{app['id']}/env-vars", json={"key": "A", "value": "1"})
    ).json()
    database = (
        await first.api.post(
            "/databases",
            json={
                "display_name": "Kept",
                "type": "redis",
                "version": "7",
                "cluster_id": "c1a5e000-0000-4000-8000-000000000002",
                "resource_type_id": "db0c0000-0000-4000-8000-000000000001",
                "db_name": "kept",
                "db_password": "secret",
            },
        )
    ).json()
    before = await first.objects()
    await first.stop()

    second = await start_emulator(db_path=db)
    assert await second.objects() == before
    assert (await second.api.get(f"/applications/{app['id']}")).json() == app
    assert (await second.api.get(f"/applications/{app['id']}/env-vars")).json()["data"] == [env]
    await asyncio.sleep(0.25)  # the ready time is stored, so the transition completes across restarts
    restored = (await second.api.get(f"/databases/{database['id']}")).json()
    assert restored["status"] == "ready" and restored["internal_port"] == "6379"
    # Creation order survives too.
    later = await new_app(second, display_name="Later")
    ids = [item["id"] for item in (await second.api.get("/applications")).json()["data"]]
    assert ids == [app["id"], later["id"]]


async def test_memory_databases_are_separate(start_emulator, new_app) -> None:
    first = await start_emulator()
    second = await start_emulator()
    await new_app(first)
    assert (await first.objects())["total"] == 2  # the app and its web process
    assert (await second.objects())["total"] == 0


async def test_stats_count_by_route_template_and_status(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    await emulator.api.get(f"/applications/{app['id']}")
    await emulator.api.get(f"/applications/{app['id']}")
    await emulator.api.get(f"/applications/{uuid.uuid4()}")
    await emulator.api.post(f"/applications/{app['id']}/env-vars", json={"key": "A", "value": "1"})
    await emulator.control.get("/v3/applications")  # 401
    await emulator.api.get("/nowhere")
    for _ in range(11):
        await emulator.api.patch(f"/applications/{app['id']}", json={})
    stats = await emulator.stats()
    assert stats["by_route"] == {
        "POST /v3/applications": 1,
        "GET /v3/applications/{id}": 3,
        "POST /v3/applications/{id}/env-vars": 1,
        "GET /v3/applications": 1,
        "GET /v3/nowhere": 1,
        "PATCH /v3/applications/{id}": 11,
    }
    assert stats["by_status"] == {"200": 12, "201": 2, "401": 1, "404": 2, "429": 1}
    assert stats["total"] == 18
    # Control endpoints are not counted.
    assert (await emulator.stats())["total"] == 18

    reset = await emulator.control.post("/_emulator/stats/reset")
    assert reset.status_code == 200
    assert await emulator.stats() == {
        "total": 0,
        "by_route": {},
        "by_status": {},
        "faults": {"error_5xx": 0, "rate_limit": 0, "drop": 0, "ambiguous_create": 0, "targeted": 0},
    }


async def test_object_counts_and_reset(emulator: InProcessEmulator, new_app) -> None:
    empty = await emulator.objects()
    assert empty["total"] == 0
    for kind in (
        "applications",
        "application_env_vars",
        "application_domains",
        "application_processes",
        "databases",
        "static_sites",
        "static_site_env_vars",
        "static_site_domains",
        "object_storage",
        "object_storage_cors_policies",
    ):
        assert empty[kind] == 0, kind
    app = await new_app(emulator)
    await emulator.api.post(f"/applications/{app['id']}/env-vars", json={"key": "A", "value": "1"})
    await emulator.api.post("/object-storage", json={"display_name": "Bucket"})
    counts = await emulator.objects()
    assert (counts["applications"], counts["application_processes"], counts["application_env_vars"]) == (
        1,
        1,
        1,
    )
    assert counts["object_storage"] == 1 and counts["total"] == 4
    reset = await emulator.control.post("/_emulator/reset")
    assert reset.status_code == 200 and reset.json()["total"] == 0
    assert (await emulator.objects())["total"] == 0
    assert (await emulator.api.get(f"/applications/{app['id']}")).status_code == 404
