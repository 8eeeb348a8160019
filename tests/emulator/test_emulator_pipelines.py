"""Pipelines: embedded stages with their order and applications, and the stage sub-routes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.testing import InProcessEmulator


async def _pipeline(api: Any, pipeline_id: str) -> dict[str, Any]:
    response = await api.get(f"/pipelines/{pipeline_id}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_pipeline_crud_and_list(unlimited: InProcessEmulator) -> None:
    api = unlimited.api
    created = await api.post("/pipelines", json={"display_name": "Release", "type": "trunk"})
    assert created.status_code == 201, created.text
    pipeline = created.json()
    assert pipeline["stages"] == [] and pipeline["company_id"] and pipeline["project_id"] is None
    bad = await api.post("/pipelines", json={"display_name": "Release", "type": "gitflow"})
    assert bad.json()["data"]["fields"] == {"type": ["must be one of: trunk, branch"]}
    missing = await api.post("/pipelines", json={})
    assert set(missing.json()["data"]["fields"]) == {"display_name", "type"}
    patched = (
        await api.patch(f"/pipelines/{pipeline['id']}", json={"display_name": "Ship", "type": "branch"})
    ).json()
    assert (patched["display_name"], patched["type"]) == ("Ship", "branch")
    await api.post("/pipelines", json={"display_name": "Other", "type": "trunk"})
    page = (await api.get("/pipelines", params={"limit": 1})).json()
    assert page["total"] == 2 and len(page["data"]) == 1
    assert set(page["data"][0]) == {"id", "display_name", "type", "created_at", "updated_at"}
    assert (await api.delete(f"/pipelines/{pipeline['id']}")).status_code == 204
    assert (await api.get(f"/pipelines/{pipeline['id']}")).status_code == 404


async def test_stages_order_insert_delete_and_reorder(unlimited: InProcessEmulator) -> None:
    api = unlimited.api
    pipeline = (await api.post("/pipelines", json={"display_name": "Release", "type": "trunk"})).json()
    stages = f"/pipelines/{pipeline['id']}/stages"
    prod = (await api.post(stages, json={"display_name": "Production", "insert_before": 5})).json()
    assert prod["order"] == 0 and prod["pipeline_id"] == pipeline["id"] and prod["type"] == "standard"
    staging = (
        await api.post(stages, json={"display_name": "Staging", "insert_before": 0, "branch": "main"})
    ).json()
    assert staging["order"] == 0 and staging["branch"] == "main"
    body = await _pipeline(api, pipeline["id"])
    assert [(s["display_name"], s["order"]) for s in body["stages"]] == [("Staging", 0), ("Production", 1)]
    assert body["updated_at"] >= pipeline["updated_at"]
    for key in ("auto_create_app", "delete_stale_apps", "stale_app_days", "apps", "created_at"):
        assert key in body["stages"][0], key

    missing = await api.post(stages, json={"display_name": "QA"})
    assert missing.json()["data"]["fields"] == {"insert_before": ["is required"]}
    negative = await api.post(stages, json={"display_name": "QA", "insert_before": -1})
    assert negative.json()["data"]["fields"] == {"insert_before": ["must be at least 0"]}

    reordered = await api.patch(
        f"/pipelines/{pipeline['id']}", json={"stage_order": [prod["id"], staging["id"]]}
    )
    assert [s["id"] for s in reordered.json()["stages"]] == [prod["id"], staging["id"]]
    as_objects = [{"stage_id": staging["id"], "order": 0}, {"stage_id": prod["id"], "order": 1}]
    reordered = await api.patch(f"/pipelines/{pipeline['id']}", json={"stage_order": as_objects})
    assert [s["id"] for s in reordered.json()["stages"]] == [staging["id"], prod["id"]]
    wrong = await api.patch(f"/pipelines/{pipeline['id']}", json={"stage_order": [prod["id"]]})
    assert wrong.status_code == 422

    assert (await api.delete(f"{stages}/{staging['id']}")).status_code == 204
    body = await _pipeline(api, pipeline["id"])
    assert [(s["id"], s["order"]) for s in body["stages"]] == [(prod["id"], 0)]
    assert (await api.delete(f"{stages}/{staging['id']}")).status_code == 404


async def test_stage_applications(
    unlimited: InProcessEmulator, new_app: Callable[..., Awaitable[dict[str, Any]]]
) -> None:
    api = unlimited.api
    pipeline = (await api.post("/pipelines", json={"display_name": "Release", "type": "trunk"})).json()
    stage = (
        await api.post(
            f"/pipelines/{pipeline['id']}/stages", json={"display_name": "Prod", "insert_before": 0}
        )
    ).json()
    app = await new_app(unlimited)
    apps = f"/pipelines/{pipeline['id']}/stages/{stage['id']}/apps"
    added = await api.post(apps, json={"app_id": app["id"]})
    assert added.status_code == 201, added.text
    assert added.json()["apps"] == [
        {"id": app["id"], "name": app["name"], "display_name": app["display_name"]}
    ]
    assert (await api.post(apps, json={"app_id": app["id"]})).json()["data"]["fields"] == {
        "app_id": ["is already in this stage"]
    }
    unknown = await api.post(apps, json={"app_id": "00000000-0000-4000-8000-000000000000"})
    assert unknown.json()["data"]["fields"] == {"app_id": ["is not a known application"]}
    body = await _pipeline(api, pipeline["id"])
    assert [a["id"] for a in body["stages"][0]["apps"]] == [app["id"]]
    missing_stage = f"/pipelines/{pipeline['id']}/stages/00000000-0000-4000-8000-000000000000/apps"
    assert (await api.post(missing_stage, json={"app_id": app["id"]})).status_code == 404

    assert (await api.delete(f"{apps}/{app['id']}")).status_code == 204
    assert (await api.delete(f"{apps}/{app['id']}")).status_code == 404
    assert (await _pipeline(api, pipeline["id"]))["stages"][0]["apps"] == []
    await api.post(apps, json={"app_id": app["id"]})
    assert (await api.delete(f"/pipelines/{pipeline['id']}")).status_code == 204
    await api.delete(f"/applications/{app['id']}")
    assert (await unlimited.objects())["total"] == 0
