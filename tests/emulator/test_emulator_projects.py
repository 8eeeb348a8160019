"""Projects: CRUD, the embedded services[], attaching and detaching services."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.testing import InProcessEmulator

NewApp = Callable[..., Awaitable[dict[str, Any]]]


async def test_project_crud_and_summary(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post("/projects", json={"display_name": "Shop"})
    assert response.status_code == 201, response.text
    project = response.json()
    assert project["display_name"] == "Shop" and project["name"].startswith("shop-")
    assert project["company_id"] and project["services"] == []
    assert project["created_at"] == project["updated_at"]

    url = f"/projects/{project['id']}"
    patched = await emulator.api.patch(url, json={"display_name": "Shop 2"})
    assert patched.status_code == 200 and patched.json()["display_name"] == "Shop 2"
    assert patched.json()["name"] == project["name"]
    listed = (await emulator.api.get("/projects")).json()
    assert listed["total"] == 1
    assert set(listed["data"][0]) == {"id", "name", "display_name", "created_at", "updated_at"}
    assert (await emulator.api.delete(url)).status_code == 204
    gone = await emulator.api.get(url)
    assert gone.status_code == 404 and gone.json()["data"]["message"] == f"project {project['id']} not found"


async def test_project_validation(emulator: InProcessEmulator) -> None:
    missing = await emulator.api.post("/projects", json={})
    assert missing.status_code == 422
    assert missing.json()["data"]["fields"] == {"display_name": ["is required"]}
    short = await emulator.api.post("/projects", json={"display_name": "x"})
    assert short.json()["data"]["fields"] == {"display_name": ["must be between 2 and 64 characters"]}


async def test_project_list_paginates(unlimited: InProcessEmulator) -> None:
    for index in range(30):
        assert (await unlimited.api.post("/projects", json={"display_name": f"p-{index}"})).status_code == 201
    first = (await unlimited.api.get("/projects")).json()
    assert (first["total"], first["limit"], len(first["data"])) == (30, 25, 25)
    rest = (await unlimited.api.get("/projects", params={"offset": 25, "limit": 100})).json()
    assert [item["display_name"] for item in rest["data"]] == [f"p-{i}" for i in range(25, 30)]
    assert (await unlimited.api.get("/projects", params={"limit": 101})).status_code == 422


async def test_attach_and_detach_services(emulator: InProcessEmulator, new_app: NewApp) -> None:
    app = await new_app(emulator, display_name="Web")
    project = (await emulator.api.post("/projects", json={"display_name": "Shop"})).json()
    services = f"/projects/{project['id']}/services"

    added = await emulator.api.post(services, json={"service_id": app["id"], "service_type": "app"})
    assert added.status_code == 201 and "message" in added.json()
    read = (await emulator.api.get(f"/projects/{project['id']}")).json()
    # Read back in another spelling than the one sent (as the real API does; its spelling is a guess).
    assert read["services"] == [
        {"id": app["id"], "name": app["name"], "display_name": "Web", "type": "appResource"}
    ]
    assert read["updated_at"] >= project["updated_at"]
    # The service itself is not rewritten.
    assert (await emulator.api.get(f"/applications/{app['id']}")).json()["project_id"] is None

    again = await emulator.api.post(services, json={"service_id": app["id"], "service_type": "app"})
    assert again.json()["data"]["fields"] == {"service_id": ["is already attached to this project"]}
    wrong_type = await emulator.api.post(services, json={"service_id": app["id"], "service_type": "database"})
    assert wrong_type.json()["data"]["fields"] == {"service_id": ["is not a known database"]}
    bad = await emulator.api.post(services, json={"service_type": ""})
    assert set(bad.json()["data"]["fields"]) == {"service_id", "service_type"}
    # An undocumented spelling is not refused: a service of another kind is looked up by its id.
    for spelling in ("application", "APP", "vm"):
        again = await emulator.api.post(services, json={"service_id": app["id"], "service_type": spelling})
        assert again.json()["data"]["fields"] == {"service_id": ["is already attached to this project"]}
    assert (await emulator.api.post("/projects/nope/services", json={})).status_code == 404

    assert (await emulator.api.delete(f"{services}/{app['id']}?service_type=database")).status_code == 404
    assert (await emulator.api.delete(f"{services}/{app['id']}?service_type=appResource")).status_code == 204
    assert (await emulator.api.get(f"/projects/{project['id']}")).json()["services"] == []
    assert (await emulator.api.delete(f"{services}/{app['id']}")).status_code == 404


async def test_deleting_project_or_service_drops_attachments(
    emulator: InProcessEmulator, new_app: NewApp
) -> None:
    app = await new_app(emulator)
    bucket = (await emulator.api.post("/object-storage", json={"display_name": "Assets"})).json()
    project = (await emulator.api.post("/projects", json={"display_name": "Shop"})).json()
    services = f"/projects/{project['id']}/services"
    await emulator.api.post(services, json={"service_id": app["id"], "service_type": "app"})
    await emulator.api.post(services, json={"service_id": bucket["id"], "service_type": "object-storage"})
    await emulator.api.delete(f"/applications/{app['id']}")
    listed = (await emulator.api.get(f"/projects/{project['id']}")).json()["services"]
    assert [item["id"] for item in listed] == [bucket["id"]]
    # The next attachment drops the deleted service's leftover.
    other = await new_app(emulator, display_name="Other")
    await emulator.api.post(services, json={"service_id": other["id"], "service_type": "app"})
    assert (await emulator.objects())["project_services"] == 2
    await emulator.api.delete(f"/applications/{other['id']}")
    await emulator.api.delete(f"/projects/{project['id']}")
    await emulator.api.delete(f"/object-storage/{bucket['id']}")
    assert (await emulator.objects())["total"] == 0
