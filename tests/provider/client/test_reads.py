"""The client's one read: the strategy each kind of the catalogue gets, and the one place a 404
means "gone"; creates reconciled by their kind (id-less answers, memberships)."""

from __future__ import annotations

import asyncio
import functools
import time
from typing import Any

import pytest
import respx

from provider.client import NotFoundError
from provider.client.diskcache import DiskCache
from provider.client.kinds import (
    APPLICATION,
    APPLICATION_DEPLOYMENT,
    APPLICATION_DOMAIN,
    APPLICATION_ENV_VAR,
    APPLICATION_IP_RESTRICTION,
    OBJECT_STORAGE_CORS_POLICY,
    PIPELINE_STAGE,
    PIPELINE_STAGE_APPLICATION,
    PROJECT,
    PROJECT_SERVICE,
)
from tests.provider.client.support import BASE, made_up_api_client

make_client = functools.partial(made_up_api_client, retry_attempts=1)


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())


def page(*items: dict[str, Any]) -> dict[str, Any]:
    return {"data": list(items), "total": len(items)}


# --- the strategy per kind ---------------------------------------------------------------------


@respx.mock
async def test_a_summary_kind_without_batching_is_its_get() -> None:
    listing = respx.get(f"{BASE}/applications")
    single = respx.get(f"{BASE}/applications/a").respond(200, json={"id": "a"})
    assert await make_client(batch_enabled=False).read(APPLICATION.ref("a")) == {"id": "a"}
    assert (single.call_count, listing.call_count) == (1, 0)


@respx.mock
async def test_a_child_with_its_own_get_is_found_in_its_parents_list_unless_fresh() -> None:
    client = make_client()
    listing = respx.get(f"{BASE}/applications/a/domains").respond(200, json=page({"id": "d1"}))
    single = respx.get(f"{BASE}/applications/a/domains/d1").respond(200, json={"id": "d1", "fresh": True})
    assert await client.read(APPLICATION_DOMAIN.ref("a", "d1")) == {"id": "d1"}
    assert await client.read(APPLICATION_DOMAIN.ref("a", "d1"), fresh=True) == {"id": "d1", "fresh": True}
    assert (listing.call_count, single.call_count) == (1, 1)


@respx.mock
async def test_a_fresh_read_polls_the_objects_own_get() -> None:
    client = make_client()
    poll = respx.get(f"{BASE}/applications/a/deployments/d").respond(200, json={"id": "d", "status": "done"})
    for _ in range(2):
        assert (await client.read(APPLICATION_DEPLOYMENT.ref("a", "d"), fresh=True)) == {
            "id": "d",
            "status": "done",
        }
    assert poll.call_count == 2, "never cached"


@respx.mock
async def test_a_listed_kind_is_found_in_its_list_with_or_without_batching() -> None:
    for settings in ({}, {"batch_enabled": False}):
        client = make_client(**settings)
        listing = respx.get(f"{BASE}/applications/a/env-vars").respond(
            200, json=page({"id": "e1", "key": "K"})
        )
        assert await client.read(APPLICATION_ENV_VAR.ref("a", "e1")) == {"id": "e1", "key": "K"}
        assert await client.read(APPLICATION_ENV_VAR.ref("a", "e2")) is None
        assert listing.call_count == 1
        respx.reset()


@respx.mock
async def test_a_singleton_is_its_get() -> None:
    route = respx.get(f"{BASE}/applications/a/ip-restriction").respond(200, json={"type": "allow"})
    assert await make_client().read(APPLICATION_IP_RESTRICTION.ref("a")) == {"type": "allow"}
    assert route.call_count == 1


@respx.mock
async def test_embedded_children_share_one_parent_get_and_never_its_kept_copy() -> None:
    """A project's services change without its updated_at: the reader's disk copy would hide them."""
    disk = DiskCache.from_environment(BASE, "k", 300)
    assert disk is not None
    projects = [
        {"id": f"p{i}", "display_name": f"p {i}", "updated_at": "t1", "services": []} for i in range(12)
    ]
    for project in projects:
        await disk.store("projects", project["id"], project)
    summaries = [{k: v for k, v in p.items() if k != "services"} for p in projects]
    respx.get(f"{BASE}/projects").respond(200, json=page(*summaries))
    services = [{"id": "s1", "type": "app"}, {"id": "s2", "type": "database"}]
    parent = respx.get(f"{BASE}/projects/p0").respond(200, json={**projects[0], "services": services})
    client = make_client(batch_size=10)
    batched = await asyncio.gather(*(client.read(PROJECT.ref(f"p{i}")) for i in range(12)))
    assert batched[0] is not None and batched[0]["services"] == []  # unchanged updated_at: the disk copy
    assert await client.read(PROJECT_SERVICE.ref("p0", "s2")) == {"id": "s2", "type": "database"}
    assert await client.read(PROJECT_SERVICE.ref("p0", "s1")) == {"id": "s1", "type": "app"}
    assert await client.read(PROJECT_SERVICE.ref("p0", "s9")) is None
    assert parent.call_count == 1, "one GET of the parent for all its children"


@respx.mock
async def test_a_stages_applications_are_read_from_the_pipeline() -> None:
    stages = [
        {"id": "s1", "apps": [{"id": "a1"}, "a2"]},  # objects or bare ids
        {"id": "s2"},  # no apps list: the stage's existence is all we know
    ]
    route = respx.get(f"{BASE}/pipelines/p").respond(200, json={"id": "p", "stages": stages})
    client = make_client()
    assert await client.read(PIPELINE_STAGE.ref("p", "s1")) == stages[0]
    assert await client.read(PIPELINE_STAGE_APPLICATION.ref("p", "s1", "a1")) == {"id": "a1"}
    assert await client.read(PIPELINE_STAGE_APPLICATION.ref("p", "s1", "a2")) == {"id": "a2"}
    assert await client.read(PIPELINE_STAGE_APPLICATION.ref("p", "s1", "a3")) is None
    assert await client.read(PIPELINE_STAGE_APPLICATION.ref("p", "s2", "a3")) == {"id": "a3"}
    assert await client.read(PIPELINE_STAGE_APPLICATION.ref("p", "s9", "a1")) is None
    assert route.call_count == 1


# --- the one place a 404 means "gone" ----------------------------------------------------------


@respx.mock
async def test_a_404_of_the_object_or_of_its_parent_is_none_in_read_only() -> None:
    client = make_client()
    respx.get(f"{BASE}/applications/gone").respond(404, json={"message": "Not Found"})
    respx.get(f"{BASE}/applications/gone/env-vars").respond(404, json={"message": "Not Found"})
    respx.get(f"{BASE}/applications/gone/domains").respond(404, json={"message": "Not Found"})
    respx.get(f"{BASE}/projects/gone").respond(404, json={"message": "Not Found"})
    respx.get(f"{BASE}/pipelines/gone").respond(404, json={"message": "Not Found"})
    assert await client.read(APPLICATION.ref("gone")) is None
    assert await client.read(APPLICATION_ENV_VAR.ref("gone", "e")) is None
    assert await client.read(APPLICATION_DOMAIN.ref("gone", "d")) is None
    assert await client.read(PROJECT_SERVICE.ref("gone", "s")) is None
    assert await client.read(PIPELINE_STAGE_APPLICATION.ref("gone", "s", "a")) is None
    with pytest.raises(NotFoundError):  # below the client, a 404 is an error like any other
        await client.requester.get(APPLICATION.ref("gone"), fresh=True)
    with pytest.raises(NotFoundError):
        await client.list_all(APPLICATION_ENV_VAR.collection("gone"))


@respx.mock
async def test_deleting_what_is_gone_is_done() -> None:
    client = make_client()
    respx.delete(f"{BASE}/applications/gone").respond(404, json={"message": "Not Found"})
    reset = respx.put(f"{BASE}/applications/gone/ip-restriction").respond(404, json={"message": "Not Found"})
    assert await client.delete(APPLICATION.ref("gone")) is None
    assert await client.delete(APPLICATION_IP_RESTRICTION.ref("gone"), reset_to={"is_enabled": False}) is None
    assert reset.call_count == 1


# --- creates reconciled by their kind ----------------------------------------------------------


@respx.mock
async def test_a_create_answered_with_only_a_message_is_found_in_the_list() -> None:
    client = make_client()
    post = respx.post(f"{BASE}/object-storage/b1/cors-policies").respond(201, json={"message": "created"})
    other = {"id": "old", "origins": ["*"], "methods": ["GET"], "headers": []}
    ours = {"id": "new", "origins": ["https://a.example"], "methods": ["GET"], "headers": []}
    respx.get(f"{BASE}/object-storage/b1/cors-policies").respond(200, json=page(other, ours))
    body = {"origins": ["https://a.example"], "methods": ["GET"], "headers": []}
    assert await client.create(OBJECT_STORAGE_CORS_POLICY.collection("b1"), body) == ours
    assert post.call_count == 1 and client.metrics.creates_reconciled == 1


@respx.mock
async def test_an_embedded_create_answered_with_only_a_message_is_found_in_the_parent() -> None:
    client = make_client()
    respx.post(f"{BASE}/pipelines/p/stages").respond(201, json={"message": "Stage created"})
    listing = respx.get(f"{BASE}/pipelines/p/stages")
    stages = [
        {"id": "s0", "display_name": "QA", "created_at": "2020-01-01T00:00:00Z"},  # someone else's, old
        {"id": "s1", "display_name": "QA", "created_at": now()},
        {"id": "s2", "display_name": "Prod", "created_at": now()},
    ]
    respx.get(f"{BASE}/pipelines/p").respond(200, json={"id": "p", "stages": stages})
    created = await client.create(PIPELINE_STAGE.collection("p"), {"display_name": "QA", "insert_before": 0})
    assert created["id"] == "s1" and listing.call_count == 0


@respx.mock
async def test_a_membership_that_failed_ambiguously_but_exists_is_not_posted_again() -> None:
    client = make_client(retry_attempts=2)
    post = respx.post(f"{BASE}/projects/p/services").respond(502, json={"message": "bad gateway"})
    project = respx.get(f"{BASE}/projects/p").respond(200, json={"id": "p", "services": [{"id": "a1"}]})
    await client.create(PROJECT_SERVICE.collection("p"), {"service_id": "a1", "service_type": "app"})
    assert (post.call_count, project.call_count) == (1, 1)


@respx.mock
async def test_a_membership_refused_because_it_exists_is_attached() -> None:
    client = make_client()
    respx.post(f"{BASE}/pipelines/p/stages/s/apps").respond(422, json={"message": "already in the stage"})
    respx.get(f"{BASE}/pipelines/p").respond(200, json={"id": "p", "stages": [{"id": "s", "apps": ["a1"]}]})
    assert await client.create(PIPELINE_STAGE_APPLICATION.collection("p", "s"), {"app_id": "a1"}) is None
