"""Databases: "creating" then "ready" after the configured delay, updates, no password in responses."""

from __future__ import annotations

import asyncio

from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES
from emulator.testing import FakeClock

DATABASE = {
    "display_name": "My Database",
    "type": "postgresql",
    "version": "16",
    "cluster_id": CLUSTERS[0]["id"],
    "resource_type_id": DATABASE_RESOURCE_TYPES[1]["id"],
    "db_name": "my_database",
    "db_password": "securePassword123",
    "db_user": "db_user",
    "extensions": {"enable_vector": True},
}


async def test_creating_then_ready_after_delay(start_emulator) -> None:
    emulator = await start_emulator(db_ready_delay_seconds=0.5)  # long enough for a slow machine
    response = await emulator.api.post("/databases", json=DATABASE)
    assert response.status_code == 201
    database = response.json()
    assert database["status"] == "creating"
    assert "securePassword123" not in response.text and "db_password" not in database
    assert database["cluster_display_name"] == "Iowa, USA" and database["cluster_location"] == "us-central1"
    assert database["resource_type_name"] == "db2" and database["storage_size"] == 10000
    assert database["internal_port"] == "5432" and database["db_user"] == "db_user"
    assert database["extensions"] == {"enable_vector": True, "enable_postgis": False, "enable_cron": False}
    assert (await emulator.api.get(f"/databases/{database['id']}")).json()["status"] == "creating"
    await asyncio.sleep(0.6)
    assert (await emulator.api.get(f"/databases/{database['id']}")).json()["status"] == "ready"
    listed = (await emulator.api.get("/databases")).json()["data"][0]
    assert listed["status"] == "ready"
    assert set(listed) == {
        "id",
        "name",
        "display_name",
        "type",
        "status",
        "is_suspended",
        "created_at",
        "updated_at",
    }


async def test_resize_goes_through_updating(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=5)
    database = (await emulator.api.post("/databases", json=DATABASE)).json()
    url = f"/databases/{database['id']}"
    clock.advance(5)
    assert (await emulator.api.get(url)).json()["status"] == "ready"

    renamed = (await emulator.api.patch(url, json={"display_name": "Renamed", "project_id": None})).json()
    assert renamed["status"] == "ready" and renamed["display_name"] == "Renamed"

    resized = await emulator.api.patch(url, json={"resource_type_id": DATABASE_RESOURCE_TYPES[2]["id"]})
    assert resized.status_code == 200
    assert resized.json()["status"] == "updating" and resized.json()["resource_type_name"] == "db3"
    clock.advance(4.9)
    assert (await emulator.api.get(url)).json()["status"] == "updating"
    clock.advance(0.2)
    assert (await emulator.api.get(url)).json()["status"] == "ready"

    bad = await emulator.api.patch(url, json={"resource_type_id": "nope"})
    assert bad.status_code == 422
    assert (await emulator.api.delete(url)).status_code == 204
    assert (await emulator.api.get(url)).status_code == 404
    assert (await emulator.objects())["total"] == 0
