"""An API key found by reconciliation comes without its token: it is replaced, never kept."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import respx

import resources.api_key as api_key_module
from provider.client import SevallaClient
from provider.client.creates import close_record, open_record
from provider.settings import ProviderSettings

BASE = "https://api.test/v3"


@respx.mock
async def test_key_found_without_its_token_is_deleted_and_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEVALLA_DISK_CACHE_DIR", str(tmp_path))
    client = SevallaClient(
        ProviderSettings(api_key="k", api_url=BASE, rate_limit_enabled=False, retry_delay=0.01),
        user_agent="test",
    )
    monkeypatch.setattr(api_key_module, "get_client", lambda: client)
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    posts = respx.post(f"{BASE}/api-keys").mock(
        side_effect=[
            respx.MockResponse(503, json={}),  # committed, answer lost
            respx.MockResponse(201, json={"id": "k2", "name": "ci", "token": "secret-token"}),
        ]
    )
    respx.get(f"{BASE}/api-keys").mock(
        side_effect=[
            respx.MockResponse(
                200, json={"data": [{"id": "k1", "name": "ci", "created_at": now}], "total": 1}
            ),
            respx.MockResponse(200, json={"data": [], "total": 0}),
        ]
    )
    respx.get(f"{BASE}/api-keys/k1").respond(200, json={"id": "k1", "name": "ci", "created_at": now})
    respx.get(f"{BASE}/api-keys/k2").respond(200, json={"id": "k2", "name": "ci", "created_at": now})
    deleted = respx.delete(f"{BASE}/api-keys/k1").respond(204)
    record, token = open_record()
    try:
        created = await api_key_module._create_with_token({"name": "ci"}, "ci")
    finally:
        close_record(token)
    assert created["token"] == "secret-token" and posts.call_count == 2 and deleted.called
    assert record.made is not None and record.made["id"] == "k2", "the deleted key is not the one kept"
