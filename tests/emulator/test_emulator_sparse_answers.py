"""Answers as sparse as the real API's (emulator/FIDELITY.md, "Sparse answers and read-backs"):
build settings of other build types nulled by a PATCH, no GET of one global variable, small
default pages of sub-resource lists, bare-array domain lists."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator.pagination import DEFAULT_LIMIT, SUB_LIST_DEFAULT_LIMIT
from emulator.testing import InProcessEmulator

NewApp = Callable[..., Awaitable[dict[str, Any]]]


async def test_patch_nulls_the_settings_of_other_build_types(
    unlimited: InProcessEmulator, new_app: NewApp
) -> None:
    app = await new_app(unlimited)
    url = f"/applications/{app['id']}"
    assert (app["dockerfile_path"], app["docker_context"]) == ("Dockerfile", ".")

    pack = (
        await unlimited.api.patch(url, json={"build_type": "pack", "pack_builder": "heroku/builder:24"})
    ).json()
    assert (pack["dockerfile_path"], pack["docker_context"], pack["nixpacks_version"]) == (None, None, None)
    assert pack["pack_builder"] == "heroku/builder:24"

    # Sent for another build type: nulled all the same.
    nix = (
        await unlimited.api.patch(
            url, json={"build_type": "nixpacks", "pack_builder": "x", "nixpacks_version": "1.2"}
        )
    ).json()
    assert (nix["pack_builder"], nix["nixpacks_version"], nix["dockerfile_path"]) == (None, "1.2", None)

    docker = (
        await unlimited.api.patch(url, json={"build_type": "dockerfile", "dockerfile_path": "ops/Dockerfile"})
    ).json()
    assert (docker["dockerfile_path"], docker["nixpacks_version"], docker["pack_builder"]) == (
        "ops/Dockerfile",
        None,
        None,
    )
    assert (await unlimited.api.get(url)).json()["dockerfile_path"] == "ops/Dockerfile"


async def test_no_get_of_one_global_env_var(unlimited: InProcessEmulator) -> None:
    created = await unlimited.api.post("/applications/global-env-vars", json={"key": "REGION", "value": "eu"})
    assert created.status_code == 201, created.text
    item = f"/applications/global-env-vars/{created.json()['id']}"
    response = await unlimited.api.get(item)
    assert response.status_code == 404, response.text  # as if the route were absent (not 405)
    assert "no route" in response.text
    listed = (await unlimited.api.get("/applications/global-env-vars")).json()
    assert [found["key"] for found in listed["data"]] == ["REGION"]
    # Its other routes are there.
    assert (await unlimited.api.put(item, json={"key": "REGION", "value": "us"})).status_code == 200
    assert (await unlimited.api.delete(item)).status_code == 204


async def test_sub_resource_lists_page_by_default(unlimited: InProcessEmulator, new_app: NewApp) -> None:
    app = await new_app(unlimited)
    env_vars = f"/applications/{app['id']}/env-vars"
    count = SUB_LIST_DEFAULT_LIMIT + 2
    for index in range(count):
        response = await unlimited.api.post(env_vars, json={"key": f"K{index}", "value": "v"})
        assert response.status_code == 201, response.text
    first = (await unlimited.api.get(env_vars)).json()
    assert (first["total"], first["limit"], len(first["data"])) == (
        count,
        SUB_LIST_DEFAULT_LIMIT,
        SUB_LIST_DEFAULT_LIMIT,
    )
    rest = (await unlimited.api.get(env_vars, params={"offset": SUB_LIST_DEFAULT_LIMIT})).json()
    assert [item["key"] for item in first["data"] + rest["data"]] == [f"K{index}" for index in range(count)]
    whole = (await unlimited.api.get(env_vars, params={"limit": 100})).json()
    assert len(whole["data"]) == count
    # A top-level list keeps the documented default.
    assert (await unlimited.api.get("/applications")).json()["limit"] == DEFAULT_LIMIT


async def test_domain_lists_are_bare_arrays(unlimited: InProcessEmulator, new_app: NewApp) -> None:
    app = await new_app(unlimited)
    balancer = await unlimited.api.post("/load-balancers", json={"display_name": "Front"})
    assert balancer.status_code == 201, balancer.text
    for parent in (f"/applications/{app['id']}", f"/load-balancers/{balancer.json()['id']}"):
        domains = f"{parent}/domains"
        created = await unlimited.api.post(domains, json={"domain_name": "shop.example.com"})
        assert created.status_code == 201, created.text
        listed = (await unlimited.api.get(domains)).json()
        assert isinstance(listed, list) and [item["name"] for item in listed] == ["shop.example.com"]
