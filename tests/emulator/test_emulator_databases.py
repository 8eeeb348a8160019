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
    clock.advance(emulator.settings.db_delete_delay_seconds)  # the asynchronous delete ends
    assert (await emulator.api.get(url)).status_code == 404
    assert (await emulator.objects())["total"] == 0


# ---------------------------------------------------------------- the lifecycle beyond creating -> ready


async def new_database(emulator, **fields) -> dict:
    response = await emulator.api.post("/databases", json={**DATABASE, **fields})
    assert response.status_code == 201, response.text
    return response.json()


async def status(emulator, database_id: str) -> str:
    return (await emulator.api.get(f"/databases/{database_id}")).json()["status"]


async def test_delete_is_asynchronous_deleting_then_gone(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=1, db_delete_delay_seconds=3)
    database = await new_database(emulator)
    url = f"/databases/{database['id']}"
    await emulator.api.put(f"{url}/ip-restriction", json={"type": "allow", "is_enabled": True, "ip_list": []})
    clock.advance(1)
    assert (await emulator.api.delete(url)).status_code == 204
    # Still there, "deleting", in its GET and in the list (and its children with it).
    assert await status(emulator, database["id"]) == "deleting"
    assert [item["status"] for item in (await emulator.api.get("/databases")).json()["data"]] == ["deleting"]
    assert (await emulator.objects())["total"] == 2
    # Nothing else may happen to it meanwhile; a second DELETE is accepted and changes nothing.
    assert (await emulator.api.patch(url, json={"display_name": "Late"})).status_code == 422
    assert (await emulator.api.post(f"{url}/suspend")).status_code == 422
    clock.advance(2.9)
    assert (await emulator.api.delete(url)).status_code == 204
    assert await status(emulator, database["id"]) == "deleting"
    clock.advance(0.1)  # the delay counts from the first DELETE
    assert (await emulator.api.get(url)).status_code == 404
    assert (await emulator.api.get("/databases")).json()["data"] == []
    assert (await emulator.objects())["total"] == 0
    assert (await emulator.api.delete(url)).status_code == 404


async def test_delete_delay_is_a_run_time_knob_also_for_deletes_under_way(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=0, db_delete_delay_seconds=600)
    assert (await emulator.control.get("/_emulator/timing")).json()["db_delete_delay_seconds"] == 600
    database = await new_database(emulator)
    await emulator.api.delete(f"/databases/{database['id']}")
    clock.advance(10)
    assert await status(emulator, database["id"]) == "deleting"
    changed = await emulator.control.put("/_emulator/timing", json={"db_delete_delay_seconds": 5})
    assert changed.json()["db_delete_delay_seconds"] == 5 and changed.json()["db_ready_delay_seconds"] == 0
    assert (await emulator.objects())["total"] == 0  # the control API sees the same time
    for bad in ({"db_delete_delay_seconds": -1}, {"db_delete_delay": 1}, {"db_error_display_names": "x"}):
        assert (await emulator.control.put("/_emulator/timing", json=bad)).status_code == 422


async def test_seeded_display_name_ends_in_error_on_create_and_on_resize(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=2)
    seeded = await emulator.control.put("/_emulator/timing", json={"db_error_display_names": ["Broken"]})
    assert seeded.json()["db_error_display_names"] == ["Broken"]
    broken = await new_database(emulator, display_name="Broken")
    fine = await new_database(emulator, display_name="Fine")
    assert broken["status"] == "creating"
    clock.advance(2)
    assert await status(emulator, broken["id"]) == "error"
    assert await status(emulator, fine["id"]) == "ready"
    # A database renamed into the seeded list fails its next resize.
    await emulator.api.patch(f"/databases/{fine['id']}", json={"display_name": "Broken"})
    resized = await emulator.api.patch(
        f"/databases/{fine['id']}", json={"resource_type_id": DATABASE_RESOURCE_TYPES[2]["id"]}
    )
    assert resized.json()["status"] == "updating"
    clock.advance(2)
    assert await status(emulator, fine["id"]) == "error"
    # An errored database can be deleted like any other.
    assert (await emulator.api.delete(f"/databases/{broken['id']}")).status_code == 204
    assert await status(emulator, broken["id"]) == "deleting"


async def test_suspend_and_activate(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=2)
    database = await new_database(emulator)
    url = f"/databases/{database['id']}"
    refused = await emulator.api.post(f"{url}/suspend")
    assert refused.status_code == 422 and "creating" in refused.text  # refused while creating
    assert (await emulator.api.post(f"{url}/activate")).status_code == 422  # not suspended
    clock.advance(2)
    suspended = await emulator.api.post(f"{url}/suspend")
    assert suspended.status_code == 200 and "message" in suspended.json()
    body = (await emulator.api.get(url)).json()
    assert (body["status"], body["is_suspended"]) == ("suspended", True)
    listed = (await emulator.api.get("/databases")).json()["data"][0]
    assert (listed["status"], listed["is_suspended"]) == ("suspended", True)
    assert (await emulator.api.post(f"{url}/suspend")).status_code == 422
    assert (await emulator.api.post(f"{url}/activate")).status_code == 200
    body = (await emulator.api.get(url)).json()
    assert (body["status"], body["is_suspended"]) == ("updating", False)
    clock.advance(2)
    assert await status(emulator, database["id"]) == "ready"
    assert (await emulator.api.post("/databases/nope/suspend")).status_code == 404


async def test_restart_goes_through_updating_and_only_from_ready_or_error(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=2)
    database = await new_database(emulator)
    url = f"/databases/{database['id']}"
    refused = await emulator.api.post(f"{url}/restart")
    assert refused.status_code == 422 and "creating" in refused.text  # refused while creating
    clock.advance(2)
    restarted = await emulator.api.post(f"{url}/restart")
    assert restarted.status_code == 200 and "message" in restarted.json()
    assert await status(emulator, database["id"]) == "updating"
    assert (await emulator.api.post(f"{url}/restart")).status_code == 422  # refused while updating
    clock.advance(2)
    assert await status(emulator, database["id"]) == "ready"
    await emulator.api.post(f"{url}/suspend")
    assert (await emulator.api.post(f"{url}/restart")).status_code == 422  # refused while suspended
    # From error; a display name seeded to fail ends its restart in error again.
    await emulator.control.put("/_emulator/timing", json={"db_error_display_names": ["My Database"]})
    await emulator.control.put(f"/_emulator/databases/{database['id']}/status", json={"status": "error"})
    assert (await emulator.api.post(f"{url}/restart")).status_code == 200
    assert await status(emulator, database["id"]) == "updating"
    clock.advance(2)
    assert await status(emulator, database["id"]) == "error"
    assert (await emulator.api.post("/databases/nope/restart")).status_code == 404


async def test_control_sets_a_status_at_once(start_emulator) -> None:
    clock = FakeClock()
    emulator = await start_emulator(clock=clock, db_ready_delay_seconds=600)
    database = await new_database(emulator)
    control = f"/_emulator/databases/{database['id']}/status"
    forced = await emulator.control.put(control, json={"status": "error"})
    assert forced.status_code == 200 and forced.json()["status"] == "error"
    assert await status(emulator, database["id"]) == "error"  # the transition under way ended
    assert (await emulator.control.put(control, json={"status": "suspended"})).json()["is_suspended"] is True
    assert (await emulator.control.put(control, json={"status": "deleting"})).status_code == 422
    assert (
        await emulator.control.put("/_emulator/databases/nope/status", json={"status": "ready"})
    ).status_code == 404
    await emulator.api.delete(f"/databases/{database['id']}")
    assert (await emulator.control.put(control, json={"status": "ready"})).status_code == 422
