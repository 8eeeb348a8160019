"""A database's internal connections (bare-array list, POST, DELETE) and its IP restriction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES
from emulator.testing import InProcessEmulator

NewApp = Callable[..., Awaitable[dict[str, Any]]]
UNKNOWN = "00000000-0000-4000-8000-000000000000"


async def new_database(emulator: InProcessEmulator, display_name: str = "My Database") -> dict[str, Any]:
    body = {
        "display_name": display_name,
        "type": "postgresql",
        "version": "16",
        "cluster_id": CLUSTERS[0]["id"],
        "resource_type_id": DATABASE_RESOURCE_TYPES[0]["id"],
        "db_name": "my_database",
        "db_password": "securePassword123",
    }
    response = await emulator.api.post("/databases", json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_internal_connections_create_list_delete(unlimited: InProcessEmulator, new_app: NewApp) -> None:
    database = await new_database(unlimited)
    other = await new_database(unlimited, "Other Database")
    app = await new_app(unlimited, display_name="Connected App")
    path = f"/databases/{database['id']}/internal-connections"
    assert (await unlimited.api.get(path)).json() == []

    response = await unlimited.api.post(path, json={"target_id": app["id"], "target_type": "app"})
    assert response.status_code == 201, response.text
    to_app = response.json()
    assert set(to_app) == {"id"}  # as the real API: only the new id
    to_db = (
        await unlimited.api.post(path, json={"target_id": other["id"], "target_type": "database"})
    ).json()
    listed = (await unlimited.api.get(path)).json()
    assert [item["id"] for item in listed] == [to_app["id"], to_db["id"]]
    # Read back with the real API's spelling of target_type (sent as app / database).
    assert listed[0] == {
        "id": to_app["id"],
        "source_id": database["id"],
        "source_type": "database",
        "source_name": database["name"],
        "source_display_name": "My Database",
        "target_id": app["id"],
        "target_type": "appResource",
        "target_name": app["name"],
        "target_display_name": "Connected App",
    }
    assert listed[1]["target_display_name"] == "Other Database"
    assert listed[1]["target_type"] == "dbResource"

    # Names are current: a renamed target shows its new display name.
    await unlimited.api.patch(f"/applications/{app['id']}", json={"display_name": "Renamed App"})
    assert (await unlimited.api.get(path)).json()[0]["target_display_name"] == "Renamed App"

    assert (await unlimited.api.delete(f"{path}/{to_app['id']}")).status_code == 204
    assert (await unlimited.api.delete(f"{path}/{to_app['id']}")).status_code == 404
    assert [item["id"] for item in (await unlimited.api.get(path)).json()] == [to_db["id"]]
    assert (await unlimited.api.patch(f"{path}/{to_db['id']}", json={})).status_code in (404, 405)

    # Deleting the database deletes its connections.
    assert (await unlimited.control.get("/_emulator/objects")).json()["database_internal_connections"] == 1
    await unlimited.control.put("/_emulator/timing", json={"db_delete_delay_seconds": 0})  # ends at once
    await unlimited.api.delete(f"/databases/{database['id']}")
    assert (await unlimited.control.get("/_emulator/objects")).json()["database_internal_connections"] == 0


async def test_internal_connection_validation(unlimited: InProcessEmulator, new_app: NewApp) -> None:
    database = await new_database(unlimited)
    app = await new_app(unlimited)
    path = f"/databases/{database['id']}/internal-connections"

    async def fields(body: dict[str, Any]) -> dict[str, list[str]]:
        response = await unlimited.api.post(path, json=body)
        assert response.status_code == 422, response.text
        result: dict[str, list[str]] = response.json()["data"]["fields"]
        return result

    assert set(await fields({})) == {"target_id", "target_type"}
    assert (await fields({"target_id": app["id"], "target_type": "server"}))["target_type"]
    assert await fields({"target_id": app["id"], "target_type": "database"}) == {
        "target_id": ["is not a known database"]
    }
    assert await fields({"target_id": UNKNOWN, "target_type": "app"}) == {
        "target_id": ["is not a known application"]
    }
    assert await fields({"target_id": database["id"], "target_type": "database"}) == {
        "target_id": ["must not be the database itself"]
    }
    assert (
        await unlimited.api.post(path, json={"target_id": app["id"], "target_type": "app"})
    ).status_code == 201
    assert await fields({"target_id": app["id"], "target_type": "app"}) == {
        "target_id": ["is already connected to this database"]
    }
    missing = await unlimited.api.get(f"/databases/{UNKNOWN}/internal-connections")
    assert missing.status_code == 404 and missing.json()["data"]["message"] == f"database {UNKNOWN} not found"


async def test_database_ip_restriction_put_get_and_reset(unlimited: InProcessEmulator) -> None:
    database = await new_database(unlimited)
    path = f"/databases/{database['id']}/ip-restriction"
    assert (await unlimited.api.get(path)).json() == {"type": "allow", "is_enabled": False, "ip_list": []}
    wanted = {"type": "allow", "is_enabled": True, "ip_list": ["10.0.0.0/8", "2001:db8::/32"]}
    response = await unlimited.api.put(path, json=wanted)
    assert response.status_code == 200 and response.json() == wanted
    assert (await unlimited.api.get(path)).json() == wanted
    assert (await unlimited.control.get("/_emulator/objects")).json()["database_ip_restrictions"] == 1
    bad = await unlimited.api.put(path, json={"type": "block", "is_enabled": "yes", "ip_list": ["nope"]})
    assert bad.status_code == 422
    assert set(bad.json()["data"]["fields"]) == {"type", "is_enabled", "ip_list[0]"}
    await unlimited.api.put(path, json={"type": "deny", "is_enabled": True, "ip_list": ["192.0.2.1"]})
    # Deleting the database deletes its restriction.
    await unlimited.control.put("/_emulator/timing", json={"db_delete_delay_seconds": 0})  # ends at once
    await unlimited.api.delete(f"/databases/{database['id']}")
    assert (await unlimited.control.get("/_emulator/objects")).json()["total"] == 0
    assert (await unlimited.api.get(path)).status_code == 404
    assert (await unlimited.api.put(path, json=wanted)).status_code == 404
