"""Creates that survive interruptions: the in-process record and the on-disk journal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
import respx

from provider.client import ExistingObjectError, SevallaClient, TransportError, ValidationError
from provider.client.creates import CreateJournal, close_record, open_record
from provider.client.kinds import (
    APPLICATION,
    APPLICATION_DEPLOYMENT,
    APPLICATION_DOMAIN,
    APPLICATION_ENV_VAR,
    Ref,
)
from provider.settings import ProviderSettings

BASE = "https://api.test/v3"
APPLICATIONS = APPLICATION.collection()
ENV_VARS = APPLICATION_ENV_VAR.collection("a")


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


@pytest.fixture
def client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SevallaClient:
    monkeypatch.setenv("SEVALLA_DISK_CACHE_DIR", str(tmp_path / "cache"))
    settings = ProviderSettings(api_key="key-1", api_url=BASE, rate_limit_enabled=False, retry_delay=0.01)
    return SevallaClient(settings, user_agent="test")


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def journal_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").glob("*/creates/*.json"))


async def leave_entry(
    client: SevallaClient, collection: Ref, match: dict[str, Any], pid: int, object_id: str | None
) -> None:
    """What a provider process killed mid-create leaves behind (written by its own journal,
    before this client's first create reads the directory)."""
    earlier = CreateJournal.from_environment(client.settings.api_url, client.settings.api_key)
    entry = await earlier.begin(collection, match)
    assert entry is not None
    if object_id:
        entry = await earlier.made(entry, object_id)
    data = json.loads(entry.file.read_text())
    data["pid"] = pid
    entry.file.write_text(json.dumps(data))


@respx.mock
async def test_object_of_a_dead_process_create_is_adopted_not_duplicated(
    client: SevallaClient, tmp_path: Path
) -> None:
    await leave_entry(client, ENV_VARS, {"key": "K"}, dead_pid(), "e1")
    post = respx.post(f"{BASE}/applications/a/env-vars").respond(
        422, json={"message": "key has already been taken"}
    )
    respx.get(f"{BASE}/applications/a/env-vars").respond(
        200, json={"data": [{"id": "e1", "key": "K"}], "total": 1}
    )
    created = await client.create(ENV_VARS, {"key": "K", "value": "v"})
    assert created["id"] == "e1" and post.call_count == 0
    assert client.metrics.creates_adopted == 1
    assert journal_files(tmp_path) == [], "the entry is consumed"


@respx.mock
async def test_create_killed_before_its_answer_is_found_by_identity_and_time(client: SevallaClient) -> None:
    await leave_entry(client, APPLICATIONS, {"display_name": "web"}, dead_pid(), None)
    post = respx.post(f"{BASE}/applications").respond(201, json={"id": "new"})
    respx.get(f"{BASE}/applications").respond(
        200, json={"data": [{"id": "a1", "display_name": "web", "created_at": now()}], "total": 1}
    )
    respx.get(f"{BASE}/applications/a1").respond(200, json={"id": "a1", "display_name": "web"})
    created = await client.create(APPLICATIONS, {"display_name": "web"})
    assert created["id"] == "a1" and post.call_count == 0


@respx.mock
async def test_entry_of_a_running_process_is_not_adopted(client: SevallaClient) -> None:
    await leave_entry(client, ENV_VARS, {"key": "K"}, os.getppid(), "e1")
    post = respx.post(f"{BASE}/applications/a/env-vars").respond(201, json={"id": "e2", "key": "K"})
    created = await client.create(ENV_VARS, {"key": "K"})
    assert created["id"] == "e2" and post.call_count == 1


@respx.mock
async def test_entry_lives_until_the_state_is_returned_and_holds_no_name(
    client: SevallaClient, tmp_path: Path
) -> None:
    respx.post(f"{BASE}/applications/a/env-vars").respond(201, json={"id": "e1", "key": "SECRET_NAME"})
    record, token = open_record()
    try:
        await client.create(ENV_VARS, {"key": "SECRET_NAME"})
        files = journal_files(tmp_path)
        assert len(files) == 1 and record.made is not None and record.made["id"] == "e1"
        text = files[0].read_text()
        assert json.loads(text)["id"] == "e1" and "SECRET_NAME" not in text
    finally:
        close_record(token)
    assert client.journal is not None
    for entry in record.entries:
        await client.journal.end(entry)
    assert journal_files(tmp_path) == []


@respx.mock
async def test_create_outside_a_record_leaves_no_entry(client: SevallaClient, tmp_path: Path) -> None:
    respx.post(f"{BASE}/applications/a/env-vars").respond(201, json={"id": "e1", "key": "K"})
    await client.create(ENV_VARS, {"key": "K"})
    assert journal_files(tmp_path) == []


@respx.mock
async def test_taken_identity_names_the_existing_object(client: SevallaClient, tmp_path: Path) -> None:
    respx.post(f"{BASE}/applications/a/domains").respond(
        422,
        json={
            "message": "Validation failed",
            "data": {"fields": {"domain_name": ["has already been taken"]}},
        },
    )
    respx.get(f"{BASE}/applications/a/domains").respond(
        200, json={"data": [{"id": "d9", "name": "x.example.com"}], "total": 1}
    )
    with pytest.raises(ExistingObjectError) as caught:
        await client.create(APPLICATION_DOMAIN.collection("a"), {"domain_name": "x.example.com"})
    assert caught.value.existing_id == "d9"
    assert journal_files(tmp_path) == [], "a refusal made nothing: no entry kept"


@respx.mock
async def test_other_refusals_are_not_taken_for_an_existing_object(client: SevallaClient) -> None:
    respx.post(f"{BASE}/applications").respond(422, json={"message": "cluster_id is invalid"})
    list_route = respx.get(f"{BASE}/applications").respond(200, json={"data": [], "total": 0})
    with pytest.raises(ValidationError) as caught:
        await client.create(APPLICATIONS, {"display_name": "web"})
    assert not isinstance(caught.value, ExistingObjectError) and list_route.call_count == 0


@respx.mock
async def test_ambiguous_create_keeps_its_entry_for_the_next_apply(
    client: SevallaClient, tmp_path: Path
) -> None:
    # The POST broke after sending and nothing is listed yet (the API commits late): keep the entry.
    respx.post(f"{BASE}/applications").mock(side_effect=httpx.ReadError("reset"))
    respx.get(f"{BASE}/applications").respond(200, json={"data": [], "total": 0})
    client.settings = ProviderSettings(
        api_key="key-1", api_url=BASE, rate_limit_enabled=False, retry_delay=0.01, retry_attempts=0
    )
    with pytest.raises(TransportError):
        await client.create(APPLICATIONS, {"display_name": "web"})
    assert len(journal_files(tmp_path)) == 1


@respx.mock
async def test_a_create_without_identity_still_hands_its_object_to_the_record(client: SevallaClient) -> None:
    # A deployment: POSTed without `match`, then waited for; the wait may fail, the id must stay.
    respx.post(f"{BASE}/applications/a/deployments").respond(201, json={"id": "dep1", "status": "waiting"})
    record, token = open_record()
    try:
        await client.create(APPLICATION_DEPLOYMENT.collection("a"), {"is_restart": False})
    finally:
        close_record(token)
    assert record.made is not None and record.made["id"] == "dep1"
