"""Lists read whole: every page of a paged list, a bare array at once, against the emulator
(whose sub-resource lists page by default and whose domain lists are bare arrays) and against
made-up answers (pages shorter than asked, pages without a total)."""

from __future__ import annotations

from typing import Any

import pytest
import respx

from emulator.catalog import CLUSTERS
from emulator.settings import EmulatorSettings
from emulator.testing import InProcessEmulator
from provider.client import SevallaClient
from provider.client.kinds import APPLICATION_DOMAIN, APPLICATION_ENV_VAR, GLOBAL_ENV_VAR
from provider.settings import ProviderSettings
from tests.provider.client.support import BASE, made_up_api_client

KEY = "lists-key"


@pytest.fixture
async def emulator() -> Any:
    async with InProcessEmulator(EmulatorSettings(api_key=KEY, rate_limits_enabled=False)) as running:
        yield running


def client_of(emulator: InProcessEmulator) -> SevallaClient:
    settings = ProviderSettings(api_key=KEY, api_url=emulator.url, rate_limit_enabled=False, retry_delay=0.01)
    return SevallaClient(settings, user_agent="test")


async def test_a_list_longer_than_a_page_is_read_whole(
    emulator: InProcessEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("provider.client.requester.PAGE_LIMIT", 3)  # 8 items: 3 pages
    body = {"display_name": "Lists", "cluster_id": CLUSTERS[0]["id"], "source": "publicGit"}
    app = (await emulator.api.post("/applications", json=body)).json()
    keys = [f"K{index}" for index in range(8)]
    for key in keys:
        assert (
            await emulator.api.post(f"/applications/{app['id']}/env-vars", json={"key": key, "value": "v"})
        ).status_code == 201
        assert (
            await emulator.api.post("/applications/global-env-vars", json={"key": key, "value": "v"})
        ).status_code == 201
    for number in range(4):
        domain = {"domain_name": f"d{number}.example.com"}
        assert (await emulator.api.post(f"/applications/{app['id']}/domains", json=domain)).status_code == 201
    client = client_of(emulator)
    try:
        env_vars = await client.list_all(APPLICATION_ENV_VAR.collection(app["id"]), fresh=True)
        assert [item["key"] for item in env_vars] == keys
        global_vars = await client.list_all(GLOBAL_ENV_VAR.collection(), fresh=True)
        assert [item["key"] for item in global_vars] == keys
        # The last variable, on the last page, is found by a read.
        last = env_vars[-1]
        assert (await client.read(APPLICATION_ENV_VAR.ref(app["id"], last["id"])))["key"] == "K7"
        last_global = global_vars[-1]
        assert (await client.read(GLOBAL_ENV_VAR.ref(last_global["id"])))["key"] == "K7"
        domains = await client.list_all(APPLICATION_DOMAIN.collection(app["id"]), fresh=True)
        assert len(domains) == 4  # a bare array: all of it, in one request
        stats = (await emulator.control.get("/_emulator/stats")).json()
    finally:
        await client.aclose()
    gets = [route for route in stats["by_route"] if route.startswith("GET ")]
    assert "GET /v3/applications/global-env-vars" in str(gets)
    assert not any("global-env-vars/" in route for route in gets)  # never a GET of one variable
    assert stats["by_status"].get("404") is None


@respx.mock
async def test_pages_shorter_than_asked_and_pages_without_a_total(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("provider.client.requester.PAGE_LIMIT", 2)
    client = made_up_api_client()
    short = respx.get(f"{BASE}/applications/a/env-vars")
    short.side_effect = [
        respx.MockResponse(200, json={"data": [{"id": "1"}], "total": 3}),
        respx.MockResponse(200, json={"data": [{"id": "2"}, {"id": "3"}], "total": 3}),
    ]
    assert [item["id"] for item in await client.list_all(APPLICATION_ENV_VAR.collection("a"))] == [
        "1",
        "2",
        "3",
    ]
    assert [call.request.url.params["offset"] for call in short.calls] == ["0", "1"]

    untotalled = respx.get(f"{BASE}/applications/b/env-vars")
    untotalled.side_effect = [
        respx.MockResponse(200, json={"data": [{"id": "1"}, {"id": "2"}]}),
        respx.MockResponse(200, json={"data": [{"id": "3"}]}),
    ]
    assert [item["id"] for item in await client.list_all(APPLICATION_ENV_VAR.collection("b"))] == [
        "1",
        "2",
        "3",
    ]

    ignoring_offset = respx.get(f"{BASE}/applications/c/env-vars").respond(
        200, json={"data": [{"id": "1"}, {"id": "2"}]}
    )
    assert [item["id"] for item in await client.list_all(APPLICATION_ENV_VAR.collection("c"))] == ["1", "2"]
    assert ignoring_offset.call_count == 2  # the second page added nothing: the end

    bare = respx.get(f"{BASE}/applications/d/domains").respond(200, json=[{"id": "1"}, {"id": "2"}])
    assert len(await client.list_all(APPLICATION_DOMAIN.collection("d"))) == 2
    assert bare.call_count == 1
    await client.aclose()
