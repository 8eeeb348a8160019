"""Auth (401 body) and the headers every response carries."""

from __future__ import annotations

import uuid

import httpx
import pytest

from emulator.catalog import CLUSTERS
from emulator.testing import InProcessEmulator as Running

API_KEY = "test-key"
CLUSTER_ID = CLUSTERS[0]["id"]

UNAUTHORIZED = {
    "message": "Unauthorized",
    "status": 401,
    "data": {"code": "UNAUTHORIZED", "message": "Invalid or missing API key."},
}
RATE_HEADERS = ("x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset")


def assert_standard_headers(response: httpx.Response) -> None:
    uuid.UUID(response.headers["x-request-id"], version=4)
    for name in RATE_HEADERS:
        assert int(response.headers[name]) >= 0, name
    assert int(response.headers["x-ratelimit-reset"]) >= 1


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong"},
        {"Authorization": API_KEY},
        {"Authorization": f"Basic {API_KEY}"},
        {"Authorization": "Bearer"},
    ],
)
async def test_missing_or_wrong_key_is_401_with_body_and_headers(emulator: Running, headers: dict) -> None:
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        response = await client.get("/v3/applications", headers=headers)
    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED
    assert_standard_headers(response)
    assert response.headers["x-ratelimit-limit"] == "400"


async def test_401_on_unknown_path_and_write(emulator: Running) -> None:
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        for response in (
            await client.get("/v3/nothing-here"),
            await client.post("/v3/applications", json={}),
        ):
            assert response.status_code == 401
            assert response.json() == UNAUTHORIZED
            assert_standard_headers(response)


async def test_bearer_scheme_is_case_insensitive(emulator: Running) -> None:
    async with httpx.AsyncClient(base_url=emulator.base_url) as client:
        response = await client.get("/v3/applications", headers={"Authorization": f"bearer {API_KEY}"})
    assert response.status_code == 200


async def test_headers_on_every_kind_of_response(emulator: Running) -> None:
    api = emulator.api
    created = await api.post(
        "/applications", json={"display_name": "Headers", "cluster_id": CLUSTER_ID, "source": "publicGit"}
    )
    app_id = created.json()["id"]
    responses = {
        201: created,
        200: await api.get(f"/applications/{app_id}"),
        404: await api.get(f"/applications/{uuid.uuid4()}"),
        422: await api.post("/applications", json={}),
        400: await api.post("/applications", content=b"{not json"),
        405: await api.put("/applications"),
        204: await api.delete(f"/applications/{app_id}"),
    }
    for status, response in responses.items():
        assert response.status_code == status, response.text
        assert_standard_headers(response)
    ids = {response.headers["x-request-id"] for response in responses.values()}
    assert len(ids) == len(responses), "request ids must be unique"


async def test_error_bodies_have_the_api_shape(emulator: Running) -> None:
    for response in (
        await emulator.api.get("/no/such/route"),
        await emulator.api.post("/applications", content=b"[1, 2]"),
        await emulator.api.patch("/applications"),
    ):
        body = response.json()
        assert set(body) == {"message", "status", "data"}
        assert body["status"] == response.status_code
        assert set(body["data"]) >= {"code", "message"}


async def test_control_endpoints_need_no_auth(emulator: Running) -> None:
    response = await emulator.control.get("/_emulator/stats")
    assert response.status_code == 200
    assert "x-request-id" in response.headers


async def test_reference_endpoints(emulator: Running) -> None:
    clusters = (await emulator.api.get("/resources/clusters")).json()
    assert isinstance(clusters, list) and len(clusters) >= 3
    assert {"id", "name", "display_name", "location"} == set(clusters[0])
    assert any(c["name"] == "europe-west3" and c["display_name"] == "Frankfurt, Germany" for c in clusters)
    processes = (await emulator.api.get("/resources/process-resource-types")).json()
    assert {"id", "name", "cpu_limit", "memory_limit", "category"} == set(processes[0])
    databases = (await emulator.api.get("/resources/database-resource-types")).json()
    assert "storage_limit" in databases[0]
    users = (await emulator.api.get("/users")).json()
    assert set(users["data"][0]) == {"id", "email", "full_name", "image"}
    assert (await emulator.api.get("/api-keys/validate")).json() == {"is_valid": True}
    # Fixed ids: a second look gives the same ones.
    again = (await emulator.api.get("/resources/clusters")).json()
    assert [c["id"] for c in again] == [c["id"] for c in clusters]
