"""The disk cache's assumption, checked on the live API: a write through each endpoint the
provider uses moves the object's `updated_at` or `status` in its kind's top-level list.

The reader (provider/client/reader.py) trusts a kept full object while its list summary is
unchanged; if a PATCH left the summary as it was, a refresh would show the old object.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from emulator.catalog import CLUSTERS
from provider.client import SevallaClient
from provider.client import kinds as k
from provider.client.kinds import Kind
from provider.settings import resolve_settings


def _created_id(answer: Any) -> str:
    if isinstance(answer, dict) and answer.get("id"):
        return str(answer["id"])
    inner = next((v for v in (answer or {}).values() if isinstance(v, dict) and v.get("id")), None)
    assert inner, f"no id in the create answer {answer!r}"
    return str(inner["id"])


async def _summary(client: SevallaClient, kind: Kind, object_id: str) -> tuple[Any, Any]:
    items = await client.list_all(kind.collection(), fresh=True)
    found = next((item for item in items if item.get("id") == object_id), None)
    assert found is not None, f"{kind.segment} {object_id} missing from its list"
    return found.get("updated_at"), found.get("status")


async def _cluster(client: SevallaClient) -> str:
    clusters = await client.list_all(k.CLUSTERS.collection(), fresh=True)
    return str(clusters[0]["id"]) if clusters else str(CLUSTERS[0]["id"])


# kind, create body, PATCH body (name -> body); each like the provider's own resource sends.
CASES: dict[str, tuple[Kind, Callable[[str], dict[str, Any]], Callable[[str], dict[str, Any]]]] = {
    "project": (k.PROJECT, lambda n: {"display_name": n}, lambda n: {"display_name": n + "-2"}),
    "webhook": (
        k.WEBHOOK,
        lambda n: {"endpoint": f"https://hooks.example.com/{n}/a", "allowed_events": ["APP_DEPLOY"]},
        lambda n: {"endpoint": f"https://hooks.example.com/{n}/b"},
    ),
    "docker registry": (
        k.DOCKER_REGISTRY,
        lambda n: {"name": n, "registry": "github", "username": "tfpsv-live-robot", "secret": "s1"},
        lambda n: {"name": n + "-2"},
    ),
    "application": (
        k.APPLICATION,
        lambda n: {"display_name": n, "source": "dockerImage", "docker_image": "nginx:latest"},
        lambda n: {"display_name": n + "-2"},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
async def test_a_patch_moves_the_summary(case: str, live_env: dict[str, str], live_name: str) -> None:
    kind, create, patch = CASES[case]
    client = SevallaClient(resolve_settings(None, live_env), user_agent="terraform-provider-sevalla/live")
    object_id = None
    try:
        body = create(live_name)
        if kind is k.APPLICATION:
            body["cluster_id"] = await _cluster(client)
        object_id = _created_id(await client.create(kind.collection(), body))
        before = await _summary(client, kind, object_id)
        await asyncio.sleep(1.1)  # timestamps may count whole seconds
        await client.update(kind.ref(object_id), patch(live_name))
        after = await _summary(client, kind, object_id)
        assert after != before, f"PATCH {kind.segment} left the summary (updated_at, status) at {before}"
    finally:
        if object_id is not None:
            await client.delete(kind.ref(object_id))
        await client.aclose()
