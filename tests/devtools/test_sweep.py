"""The live suite's sweeper against the emulator: it deletes the prefixed objects of every
top-level kind and leaves everything else alone."""

from __future__ import annotations

from typing import Any

import pytest

from devtools.sweep import KINDS, PREFIX, is_ours, sweep
from emulator.catalog import CLUSTERS
from emulator.settings import EmulatorSettings
from emulator.testing import InProcessEmulator
from provider.client import SevallaClient
from provider.settings import ProviderSettings

KEY = "sweep-key"


@pytest.fixture
async def emulator() -> Any:
    settings = EmulatorSettings(api_key=KEY, rate_limits_enabled=False, db_delete_delay_seconds=0.0)
    async with InProcessEmulator(settings) as running:
        yield running


async def make(emulator: InProcessEmulator, path: str, body: dict[str, Any]) -> str:
    response = await emulator.api.post(path, json=body)
    assert response.status_code in (200, 201), response.text
    answer = response.json()
    found = answer.get("id") or next(iter(v for v in answer.values() if isinstance(v, dict)), {}).get("id")
    assert found, answer
    return str(found)


async def ids(emulator: InProcessEmulator, path: str) -> set[str]:
    client = SevallaClient(
        ProviderSettings(api_key=KEY, api_url=emulator.url, rate_limit_enabled=False), user_agent="test"
    )
    try:
        return {item["id"] for item in await client.list_all(_kind(path).collection(), fresh=True)}
    finally:
        await client.aclose()


def _kind(path: str) -> Any:
    return next(kind for kind in KINDS if kind.segment == path.strip("/"))


def test_is_ours() -> None:
    assert is_ours({"display_name": PREFIX + "abc"})
    assert is_ours({"name": PREFIX + "abc"})
    assert is_ours({"endpoint": f"https://hooks.example.com/{PREFIX}abc"})
    assert not is_ours({"display_name": "production-" + PREFIX})
    assert not is_ours({"endpoint": "https://hooks.example.com/a", "name": None})


async def test_sweep_deletes_only_prefixed_objects(emulator: InProcessEmulator) -> None:
    cluster = CLUSTERS[0]["id"]
    objects: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
        "projects": ("/projects", {"display_name": PREFIX + "p1"}, {"display_name": "keep-project"}),
        "applications": (
            "/applications",
            {"display_name": PREFIX + "a1", "cluster_id": cluster, "source": "publicGit"},
            {"display_name": "keep-app", "cluster_id": cluster, "source": "publicGit"},
        ),
        "object-storage": (
            "/object-storage",
            {"display_name": PREFIX + "b1"},
            {"display_name": "keep-bucket"},
        ),
        "webhooks": (
            "/webhooks",
            {"endpoint": f"https://hooks.example.com/{PREFIX}w1", "allowed_events": ["APP_DEPLOY"]},
            {"endpoint": "https://hooks.example.com/keep", "allowed_events": ["APP_DEPLOY"]},
        ),
        "docker-registries": (
            "/docker-registries",
            {"name": PREFIX + "r1", "username": "u", "secret": "s", "registry": "github"},
            {"name": "keep-registry", "username": "u", "secret": "s", "registry": "github"},
        ),
    }
    made: dict[str, tuple[str, str]] = {}
    for segment, (path, ours, theirs) in objects.items():
        made[segment] = (await make(emulator, path, ours), await make(emulator, path, theirs))

    client = SevallaClient(
        ProviderSettings(api_key=KEY, api_url=emulator.url, rate_limit_enabled=False), user_agent="test"
    )
    try:
        listed = await sweep(client, dry_run=True)
        assert sorted(line.split()[0] for line in listed) == sorted(objects)
        swept = await sweep(client)
        assert sorted(line.split()[1] for line in swept) == sorted(ours for ours, _ in made.values())
    finally:
        await client.aclose()
    for segment, (ours, theirs) in made.items():
        left = await ids(emulator, segment)
        assert theirs in left and ours not in left, (segment, left)


async def test_sweep_refuses_an_empty_prefix(emulator: InProcessEmulator) -> None:
    client = SevallaClient(ProviderSettings(api_key=KEY, api_url=emulator.url), user_agent="test")
    try:
        with pytest.raises(ValueError):
            await sweep(client, "")
    finally:
        await client.aclose()
