"""422 field messages (missing, enum, type, length, pattern, unknown references) and 400 for non-JSON."""

from __future__ import annotations

import pytest

from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES, PROCESS_RESOURCE_TYPES
from emulator.testing import InProcessEmulator

CLUSTER_ID = CLUSTERS[0]["id"]
APP = {"display_name": "Valid", "cluster_id": CLUSTER_ID, "source": "publicGit"}
DATABASE = {
    "display_name": "My Database",
    "type": "postgresql",
    "version": "16",
    "cluster_id": CLUSTER_ID,
    "resource_type_id": DATABASE_RESOURCE_TYPES[0]["id"],
    "db_name": "my_database",
    "db_password": "securePassword123",
}


def fields_of(response) -> dict:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["message"] == "Validation failed"
    assert body["status"] == 422
    assert body["data"]["code"] == "INVALID_INPUT"
    return body["data"]["fields"]


async def test_missing_required_field(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post(
        "/applications", json={"cluster_id": CLUSTER_ID, "source": "publicGit"}
    )
    assert response.json() == {
        "message": "Validation failed",
        "status": 422,
        "data": {
            "code": "INVALID_INPUT",
            "message": "display_name is required",
            "fields": {"display_name": ["is required"]},
        },
    }


async def test_bad_enum_lists_allowed_values(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post("/applications", json={**APP, "source": "svn"})
    assert fields_of(response) == {"source": ["must be one of: privateGit, publicGit, dockerImage"]}
    assert response.json()["data"]["message"] == "source must be one of: privateGit, publicGit, dockerImage"


@pytest.mark.parametrize(
    ("patch", "field", "problem"),
    [
        ({"display_name": 5}, "display_name", "must be a string"),
        ({"display_name": "x"}, "display_name", "must be between 2 and 64 characters"),
        ({"display_name": "x" * 65}, "display_name", "must be between 2 and 64 characters"),
        ({"display_name": None}, "display_name", "is required"),
        ({"cluster_id": "00000000-0000-4000-8000-000000000000"}, "cluster_id", "is not a known cluster"),
        ({"git_type": "svn"}, "git_type", "must be one of: github, bitbucket, gitlab"),
    ],
)
async def test_app_create_field_rules(
    emulator: InProcessEmulator, patch: dict, field: str, problem: str
) -> None:
    assert fields_of(await emulator.api.post("/applications", json={**APP, **patch})) == {field: [problem]}


async def test_app_patch_rules(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    url = f"/applications/{app['id']}"
    assert fields_of(await emulator.api.patch(url, json={"build_type": "make"})) == {
        "build_type": ["must be one of: dockerfile, pack, nixpacks"]
    }
    assert fields_of(await emulator.api.patch(url, json={"auto_deploy": "yes"})) == {
        "auto_deploy": ["must be a boolean"]
    }
    assert fields_of(await emulator.api.patch(url, json={"allow_deploy_paths": ["a", 1]})) == {
        "allow_deploy_paths[1]": ["must be a string"]
    }
    assert fields_of(await emulator.api.patch(url, json={"buildpacks": [{"source": "x"}]})) == {
        "buildpacks[0].order": ["is required"]
    }
    assert fields_of(await emulator.api.patch(url, json={"hibernate_after_seconds": True})) == {
        "hibernate_after_seconds": ["must be an integer"]
    }


async def test_non_json_body_is_400(emulator: InProcessEmulator) -> None:
    for content in (b"{oops", b"[1]", b'"text"'):
        response = await emulator.api.post("/applications", content=content)
        assert response.status_code == 400
        assert response.json()["data"]["code"] == "BAD_REQUEST"


@pytest.mark.parametrize(
    ("patch", "field"),
    [
        ({"type": "oracle"}, "type"),
        ({"db_name": "x"}, "db_name"),
        ({"db_name": "bad name!"}, "db_name"),
        ({"db_password": "abc"}, "db_password"),
        ({"db_user": "root"}, "db_user"),
        ({"db_user": "postgres"}, "db_user"),
        ({"resource_type_id": PROCESS_RESOURCE_TYPES[0]["id"]}, "resource_type_id"),
        ({"extensions": {"enable_vector": "yes"}}, "extensions.enable_vector"),
        ({"version": None}, "version"),
    ],
)
async def test_database_create_rules(emulator: InProcessEmulator, patch: dict, field: str) -> None:
    assert list(fields_of(await emulator.api.post("/databases", json={**DATABASE, **patch}))) == [field]


async def test_every_problem_is_listed(emulator: InProcessEmulator) -> None:
    fields = fields_of(await emulator.api.post("/databases", json={"type": "oracle"}))
    assert set(fields) == {
        "display_name", "type", "version", "cluster_id", "resource_type_id", "db_name", "db_password",
    }  # fmt: skip


async def test_env_var_rules(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    url = f"/applications/{app['id']}/env-vars"
    assert list(fields_of(await emulator.api.post(url, json={"key": "1BAD", "value": "v"}))) == ["key"]
    assert list(fields_of(await emulator.api.post(url, json={"key": "", "value": "v"}))) == ["key"]
    assert list(fields_of(await emulator.api.post(url, json={"key": "OK", "value": "v" * 32769}))) == [
        "value"
    ]
    assert list(fields_of(await emulator.api.post(url, json={"key": "OK"}))) == ["value"]
    ok = await emulator.api.post(url, json={"key": "OK", "value": "v" * 32768})
    assert ok.status_code == 201


async def test_process_scaling_config_must_be_camel_case(emulator: InProcessEmulator, new_app) -> None:
    app = await new_app(emulator)
    base = {
        "display_name": "Worker",
        "type": "worker",
        "resource_type_id": PROCESS_RESOURCE_TYPES[1]["id"],
    }
    url = f"/applications/{app['id']}/processes"
    snake = {"type": "manual", "config": {"instance_count": 2}}
    fields = fields_of(await emulator.api.post(url, json={**base, "scaling_strategy": snake}))
    assert "scaling_strategy" in fields and "instance_count" in fields["scaling_strategy"][0]
    probe = {"http_get": {"path": "/"}}
    camel = {"type": "manual", "config": {"instanceCount": 2}}
    fields = fields_of(
        await emulator.api.post(url, json={**base, "scaling_strategy": camel, "liveness_probe": probe})
    )
    assert fields == {"liveness_probe.http_get": ["is not a known field"]}
    cron = {**base, "type": "cron", "scaling_strategy": camel}
    assert fields_of(await emulator.api.post(url, json=cron)) == {
        "schedule": ["is required for cron processes"]
    }
