"""Applications with env vars, domains and processes: CRUD, uniqueness, 404s and cascade delete."""

from __future__ import annotations

import asyncio
import re
import uuid

from emulator.catalog import CLUSTERS, PROCESS_RESOURCE_TYPES
from emulator.testing import InProcessEmulator

ISO_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


async def test_create_returns_full_application_without_cluster_id(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post(
        "/applications",
        json={
            "display_name": "My Application",
            "cluster_id": CLUSTERS[1]["id"],
            "source": "privateGit",
            "git_type": "github",
            "repo_url": "https://github.com/user/repo",
            "default_branch": "main",
        },
    )
    assert response.status_code == 201
    app = response.json()
    assert "cluster_id" not in app
    assert not [key for key in app if key.startswith("_")]
    uuid.UUID(app["id"])
    assert app["name"].startswith("my-application-")
    assert app["namespace"].startswith(app["name"])
    assert app["display_name"] == "My Application"
    assert (app["type"], app["status"], app["source"], app["git_type"]) == (
        "app",
        "inactive",
        "privateGit",
        "github",
    )
    assert (
        app["build_type"] == "dockerfile"
        and app["build_path"] == "."
        and app["dockerfile_path"] == "Dockerfile"
    )
    assert app["build_cache_enabled"] is True and app["auto_deploy"] is True and app["is_suspended"] is False
    assert app["allow_deploy_paths"] == [] and app["buildpacks"] == []
    assert ISO_MS.match(app["created_at"]) and app["created_at"] == app["updated_at"]
    fetched = (await emulator.api.get(f"/applications/{app['id']}")).json()
    assert fetched == app


async def test_patch_updates_fields_and_updated_at(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    await asyncio.sleep(0.005)
    changes = {
        "display_name": "Renamed",
        "build_type": "nixpacks",
        "nixpacks_version": "1.21.0",
        "allow_deploy_paths": ["src/**"],
        "buildpacks": [{"order": 1, "source": "heroku/nodejs"}],
        "hibernation_enabled": True,
        "hibernate_after_seconds": 600,
    }
    response = await emulator.api.patch(f"/applications/{app['id']}", json=changes)
    assert response.status_code == 200
    updated = response.json()
    assert {key: updated[key] for key in changes} == changes
    assert updated["name"] == app["name"], "the name is immutable"
    assert updated["updated_at"] > app["updated_at"]
    assert updated["created_at"] == app["created_at"]
    assert (await emulator.api.get(f"/applications/{app['id']}")).json() == updated


async def test_default_web_process(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    processes = (await emulator.api.get(f"/applications/{app['id']}/processes")).json()
    assert processes["total"] == 1
    web = processes["data"][0]
    assert (web["key"], web["type"], web["display_name"]) == ("web", "web", "Web process")
    assert web["scaling_strategy"] == {"type": "manual", "config": {"instanceCount": 1}}
    assert web["resource_type_id"] == PROCESS_RESOURCE_TYPES[0]["id"]
    assert web["resource_type_name"] == "s1" and web["port"] == 8080
    assert web["is_ingress_enabled"] is True and web["ingress_protocol"] == "http"
    assert web["app_id"] == app["id"]
    assert web["internal_hostname"].endswith(f".{app['namespace']}.svc.cluster.local")


async def test_process_crud(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    url = f"/applications/{app['id']}/processes"
    response = await emulator.api.post(
        url,
        json={
            "display_name": "Queue Worker",
            "type": "worker",
            "resource_type_id": PROCESS_RESOURCE_TYPES[2]["id"],
            "scaling_strategy": {
                "type": "horizontal",
                "config": {"minInstanceCount": 1, "maxInstanceCount": 3, "targetCpuPercent": 80},
            },
            "entrypoint": "python worker.py",
            "liveness_probe": {"exec": {"command": ["true"]}, "periodSeconds": 10},
        },
    )
    assert response.status_code == 201, response.text
    worker = response.json()
    assert worker["key"] == "queue-worker" and worker["resource_type_name"] == "s3"
    assert worker["memory_limit"] == 2048 and worker["is_ingress_enabled"] is False
    patched = await emulator.api.patch(
        f"{url}/{worker['id']}",
        json={"resource_type_id": PROCESS_RESOURCE_TYPES[3]["id"], "ingress_protocol": "grpc"},
    )
    assert patched.status_code == 200
    assert patched.json()["resource_type_name"] == "s4" and patched.json()["ingress_protocol"] == "grpc"
    bad = await emulator.api.patch(f"{url}/{worker['id']}", json={"ingress_protocol": "tcp"})
    assert bad.status_code == 422
    assert (await emulator.api.delete(f"{url}/{worker['id']}")).status_code == 204
    assert (await emulator.api.get(f"{url}/{worker['id']}")).status_code == 404


async def test_env_var_crud_and_duplicate_key(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    url = f"/applications/{app['id']}/env-vars"
    response = await emulator.api.post(url, json={"key": "DATABASE_URL", "value": "postgres://x"})
    assert response.status_code == 201
    env = response.json()
    assert set(env) == {
        "id",
        "app_id",
        "key",
        "value",
        "is_runtime",
        "is_buildtime",
        "created_at",
        "updated_at",
    }
    assert (env["app_id"], env["is_runtime"], env["is_buildtime"]) == (app["id"], True, True)

    duplicate = await emulator.api.post(url, json={"key": "DATABASE_URL", "value": "other"})
    assert duplicate.status_code == 422
    assert duplicate.json()["data"]["fields"] == {"key": ["has already been taken"]}

    other = (await emulator.api.post(url, json={"key": "OTHER", "value": "1", "is_buildtime": False})).json()
    assert other["is_buildtime"] is False
    clash = await emulator.api.put(f"{url}/{other['id']}", json={"key": "DATABASE_URL"})
    assert clash.status_code == 422

    put = await emulator.api.put(f"{url}/{env['id']}", json={"value": "postgres://y", "is_runtime": False})
    assert put.status_code == 200
    assert (put.json()["key"], put.json()["value"], put.json()["is_runtime"]) == (
        "DATABASE_URL",
        "postgres://y",
        False,
    )
    assert (await emulator.api.patch(f"{url}/{env['id']}", json={"value": "z"})).status_code == 405

    assert (await emulator.api.delete(f"{url}/{env['id']}")).status_code == 204
    listed = (await emulator.api.get(url)).json()
    assert [item["key"] for item in listed["data"]] == ["OTHER"]

    # The same key on another application is fine.
    second = await new_app(emulator, display_name="Second")
    ok = await emulator.api.post(
        f"/applications/{second['id']}/env-vars", json={"key": "OTHER", "value": "1"}
    )
    assert ok.status_code == 201


async def test_domain_crud_and_duplicate(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    url = f"/applications/{app['id']}/domains"
    response = await emulator.api.post(
        url, json={"domain_name": "App.Example.com", "custom_ssl_key": "secret"}
    )
    assert response.status_code == 201
    domain = response.json()
    assert domain["name"] == "app.example.com"
    assert (domain["status"], domain["type"], domain["is_enabled"], domain["is_primary"]) == (
        "ACTIVE", "CUSTOM", True, False,
    )  # fmt: skip
    assert domain["dns_records"] == [
        {"type": "CNAME", "name": "app.example.com", "value": "cname.sevalla.com"}
    ]
    assert "secret" not in str(domain)
    duplicate = await emulator.api.post(url, json={"domain_name": "app.example.com"})
    assert duplicate.status_code == 422 and "domain_name" in duplicate.json()["data"]["fields"]
    assert (await emulator.api.post(url, json={"domain_name": "not a domain"})).status_code == 422
    patched = await emulator.api.patch(f"{url}/{domain['id']}", json={"name": "www.example.com"})
    assert patched.json()["name"] == "www.example.com"
    assert (await emulator.api.get(f"{url}/{domain['id']}")).json()["name"] == "www.example.com"
    assert (await emulator.api.delete(f"{url}/{domain['id']}")).status_code == 204
    assert (await emulator.api.get(url)).json() == []  # a bare array, as the official client reads it


async def test_404_for_unknown_id_and_unknown_parent(emulator: InProcessEmulator, new_app) -> None:
    missing = str(uuid.uuid4())
    for method in ("GET", "PATCH", "DELETE"):
        response = await emulator.api.request(method, f"/applications/{missing}", json={})
        assert response.status_code == 404
        assert response.json() == {
            "message": "Not Found",
            "status": 404,
            "data": {"code": "NOT_FOUND", "message": f"application {missing} not found"},
        }
    parentless = await emulator.api.post(f"/applications/{missing}/env-vars", json={"key": "A", "value": "b"})
    assert parentless.status_code == 404
    assert parentless.json()["data"]["message"] == f"application {missing} not found"
    assert (await emulator.api.get(f"/applications/{missing}/domains")).status_code == 404

    app = await new_app(emulator)
    child = await emulator.api.put(f"/applications/{app['id']}/env-vars/{missing}", json={"value": "x"})
    assert child.json()["data"]["message"] == f"env var {missing} not found"

    # A child addressed through the wrong parent is not found either.
    env = (
        await emulator.api.post(f"/applications/{app['id']}/env-vars", json={"key": "A", "value": "b"})
    ).json()
    other = await new_app(emulator, display_name="Other")
    assert (await emulator.api.get(f"/applications/{other['id']}/env-vars/{env['id']}")).status_code == 404
    # An id of another kind is not an application.
    assert (await emulator.api.get(f"/applications/{env['id']}")).status_code == 404


async def test_delete_cascades_to_children(emulator: InProcessEmulator, new_app) -> None:
    keep = await new_app(emulator, display_name="Keep")
    app = await new_app(emulator)
    await emulator.api.post(f"/applications/{app['id']}/env-vars", json={"key": "A", "value": "1"})
    await emulator.api.post(f"/applications/{app['id']}/domains", json={"domain_name": "a.example.com"})
    before = await emulator.objects()
    assert (before["applications"], before["application_processes"]) == (2, 2)
    assert before["application_env_vars"] == 1 and before["application_domains"] == 1

    response = await emulator.api.delete(f"/applications/{app['id']}")
    assert response.status_code == 204 and response.content == b""
    after = await emulator.objects()
    assert after["applications"] == 1 and after["application_processes"] == 1
    assert after["application_env_vars"] == 0 and after["application_domains"] == 0
    assert after["total"] == 2
    assert (await emulator.api.get(f"/applications/{app['id']}")).status_code == 404
    assert (await emulator.api.get(f"/applications/{keep['id']}")).status_code == 200
