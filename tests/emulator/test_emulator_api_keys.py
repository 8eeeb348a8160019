"""API keys: the token only in the create answer, roles and capabilities, pagination, RBAC lists."""

from __future__ import annotations

from emulator.routes.api_keys import API_KEY_PERMISSIONS, API_KEY_ROLES
from emulator.testing import InProcessEmulator

VIEWER = API_KEY_ROLES[2]["id"]


async def test_create_shows_the_token_once(unlimited: InProcessEmulator) -> None:
    response = await unlimited.api.post(
        "/api-keys",
        json={
            "name": "ci",
            "role_ids": [VIEWER],
            "capabilities": [{"permission": "application:read", "id_resource": "app-1"}],
            "expired_at": "2030-01-01T00:00:00Z",
        },
    )
    assert response.status_code == 201, response.text
    created = response.json()
    token = created["token"]
    assert token.startswith("sev_") and len(token) > 20
    # As the real API: the create answers only the id, the token and the name.
    assert set(created) == {"id", "token", "name"} and created["name"] == "ci"

    read = await unlimited.api.get(f"/api-keys/{created['id']}")
    assert "token" not in read.json() and token not in read.text
    key = read.json()
    assert key["is_enabled"] is True and key["source"] == "api" and key["last_used_at"] is None
    assert key["expired_at"] == "2030-01-01T00:00:00Z"
    assert key["roles"] == [{"id": VIEWER, "name": "viewer", "description": "Read only"}]
    assert key["capabilities"] == [{"permission": "application:read", "id_resource": "app-1"}]
    listed = (await unlimited.api.get("/api-keys")).json()
    assert listed["total"] == 1 and token not in str(listed)
    assert set(listed["data"][0]) == {
        "id", "name", "is_enabled", "expired_at", "source", "last_used_at", "created_at", "updated_at",
    }  # fmt: skip

    rotated = (await unlimited.api.post(f"/api-keys/{created['id']}/rotate", json={})).json()
    assert rotated["token"] != token
    toggled = (await unlimited.api.post(f"/api-keys/{created['id']}/toggle")).json()
    assert toggled["is_enabled"] is False and "token" not in toggled


async def test_update_and_delete(unlimited: InProcessEmulator) -> None:
    created = (await unlimited.api.post("/api-keys", json={"name": "ci"})).json()
    path = f"/api-keys/{created['id']}"
    key = (await unlimited.api.get(path)).json()
    assert key["roles"] == [] and key["capabilities"] == [] and key["expired_at"] is None
    patched = await unlimited.api.patch(
        path, json={"name": "ci-2", "role_ids": [API_KEY_ROLES[0]["id"]], "capabilities": []}
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["name"] == "ci-2" and patched.json()["roles"][0]["name"] == "admin"
    assert "token" not in patched.json()
    assert (await unlimited.api.delete(path)).status_code == 204
    assert (await unlimited.api.get(path)).status_code == 404
    assert (await unlimited.control.get("/_emulator/objects")).json()["total"] == 0


async def test_validation_names_the_fields(unlimited: InProcessEmulator) -> None:
    response = await unlimited.api.post(
        "/api-keys",
        json={
            "role_ids": ["no-such-role"],
            "capabilities": [{"permission": ""}, {"id_resource": "x"}],
            "expired_at": "next week",
        },
    )
    assert response.status_code == 422
    assert response.json()["data"]["fields"] == {
        "name": ["is required"],
        "role_ids[0]": ["is not a known API key role"],
        "capabilities[0].permission": ["must be at least 1 characters"],
        "capabilities[1].permission": ["is required"],
        "expired_at": ["must be an ISO 8601 timestamp"],
    }


async def test_pagination(unlimited: InProcessEmulator) -> None:
    for index in range(3):
        await unlimited.api.post("/api-keys", json={"name": f"key-{index}"})
    page = (await unlimited.api.get("/api-keys", params={"limit": 2, "offset": 2})).json()
    assert page["total"] == 3 and page["offset"] == 2 and page["limit"] == 2
    assert [item["name"] for item in page["data"]] == ["key-2"]


async def test_rbac_reference_lists(unlimited: InProcessEmulator) -> None:
    permissions = (await unlimited.api.get("/resources/rbac/api-key-permissions")).json()
    assert permissions == list(API_KEY_PERMISSIONS)
    assert set(permissions[0]) == {"id", "name", "description", "resource", "action"}
    roles = (await unlimited.api.get("/resources/rbac/api-key-roles")).json()
    assert [role["name"] for role in roles] == ["admin", "developer", "viewer"]
    assert set(roles[0]) == {"id", "name", "description", "permissions"}
    assert (await unlimited.api.get("/api-keys/validate")).json() == {"is_valid": True}


async def test_permission_names_are_not_refused(unlimited: InProcessEmulator) -> None:
    """The real set is not documented (the docs show app:read and APP:READ): kept as sent."""
    capabilities = [
        {"permission": "APP:READ", "id_resource": None},
        {"permission": "app:read", "id_resource": "x"},
    ]
    response = await unlimited.api.post("/api-keys", json={"name": "docs", "capabilities": capabilities})
    assert response.status_code == 201, response.text
    key_id = response.json()["id"]  # the create answers sparsely: the key's GET shows them
    assert (await unlimited.api.get(f"/api-keys/{key_id}")).json()["capabilities"] == capabilities
