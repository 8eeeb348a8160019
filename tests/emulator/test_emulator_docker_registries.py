"""Docker registry credentials: CRUD; the secret is accepted but never returned."""

from __future__ import annotations

from emulator.testing import InProcessEmulator

REGISTRY = {"name": "ghcr", "username": "robot", "secret": "hunter2-token", "registry": "github"}


async def test_docker_registry_crud_never_returns_the_secret(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post("/docker-registries", json=REGISTRY)
    assert response.status_code == 201, response.text
    created = response.json()
    assert "hunter2-token" not in response.text and "secret" not in created
    assert (created["name"], created["registry"], created["username"]) == ("ghcr", "github", "robot")
    assert created["company_id"] and created["created_at"]

    url = f"/docker-registries/{created['id']}"
    read = await emulator.api.get(url)
    assert read.json() == created
    patched = await emulator.api.patch(url, json={"username": "bot", "secret": "new-token"})
    assert patched.status_code == 200 and patched.json()["username"] == "bot"
    assert "new-token" not in patched.text
    listed = await emulator.api.get("/docker-registries")
    assert listed.json()["total"] == 1
    assert set(listed.json()["data"][0]) == {"id", "name", "registry", "created_at", "updated_at"}
    assert "robot" not in listed.text and "bot" not in listed.text
    assert (await emulator.api.delete(url)).status_code == 204
    assert (await emulator.api.get(url)).status_code == 404
    assert (await emulator.objects())["total"] == 0


async def test_docker_registry_defaults_and_validation(emulator: InProcessEmulator) -> None:
    plain = await emulator.api.post(
        "/docker-registries", json={"name": "hub", "username": "u", "secret": "s"}
    )
    assert plain.json()["registry"] == "dockerHub"
    missing = await emulator.api.post("/docker-registries", json={"name": "x"})
    assert missing.status_code == 422
    assert set(missing.json()["data"]["fields"]) == {"username", "secret"}
    bad = await emulator.api.post("/docker-registries", json={**REGISTRY, "registry": "quay"})
    assert bad.json()["data"]["fields"]["registry"][0].startswith("must be one of: gcr, ecr, dockerHub")
    empty = await emulator.api.patch(f"/docker-registries/{plain.json()['id']}", json={"name": ""})
    assert empty.json()["data"]["fields"] == {"name": ["must be between 1 and 255 characters"]}
