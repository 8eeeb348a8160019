"""Offset pagination: pages, totals, creation order, and 422 for out-of-range parameters."""

from __future__ import annotations

import pytest

from emulator.testing import InProcessEmulator as Running


async def _create_apps(running: Running, new_app, count: int) -> list[str]:
    return [(await new_app(running, display_name=f"App {index:02d}"))["id"] for index in range(count)]


async def test_pages_cover_every_item_in_creation_order(unlimited: Running, new_app) -> None:
    ids = await _create_apps(unlimited, new_app, 12)
    seen: list[str] = []
    for offset in (0, 5, 10):
        body = (await unlimited.api.get("/applications", params={"limit": 5, "offset": offset})).json()
        assert body["total"] == 12
        assert body["offset"] == offset
        assert body["limit"] == 5
        assert len(body["data"]) == (5 if offset < 10 else 2)
        seen += [item["id"] for item in body["data"]]
    assert seen == ids


async def test_defaults_and_summary_fields(unlimited: Running, new_app) -> None:
    await _create_apps(unlimited, new_app, 27)
    body = (await unlimited.api.get("/applications")).json()
    assert (body["total"], body["offset"], body["limit"], len(body["data"])) == (27, 0, 25, 25)
    assert set(body["data"][0]) == {
        "id", "name", "display_name", "status", "type", "source", "is_suspended", "created_at", "updated_at",
    }  # fmt: skip
    beyond = (await unlimited.api.get("/applications", params={"offset": 100})).json()
    assert beyond["data"] == [] and beyond["total"] == 27


async def test_limit_100_is_allowed(emulator: Running) -> None:
    response = await emulator.api.get("/applications", params={"limit": 100, "offset": 10000})
    assert response.status_code == 200
    assert response.json() == {"data": [], "total": 0, "offset": 10000, "limit": 100}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"offset": 10001}, "offset"),
        ({"offset": "1.5"}, "offset"),
    ],
)
async def test_out_of_range_is_422_with_field_message(emulator: Running, params: dict, field: str) -> None:
    response = await emulator.api.get("/applications", params=params)
    assert response.status_code == 422
    body = response.json()
    assert body["message"] == "Validation failed"
    assert body["data"]["code"] == "INVALID_INPUT"
    assert body["data"]["message"].startswith(f"{field} must be an integer between")
    assert list(body["data"]["fields"]) == [field]


async def test_child_lists_are_paginated_too(unlimited: Running, new_app) -> None:
    app = await new_app(unlimited)
    for index in range(3):
        await unlimited.api.post(
            f"/applications/{app['id']}/env-vars", json={"key": f"K{index}", "value": "v"}
        )
    body = (await unlimited.api.get(f"/applications/{app['id']}/env-vars", params={"limit": 2})).json()
    assert body["total"] == 3 and [item["key"] for item in body["data"]] == ["K0", "K1"]
    assert (
        await unlimited.api.get(f"/applications/{app['id']}/env-vars", params={"limit": 0})
    ).status_code == 422
