"""Static sites (env vars as a bare array, domains) and object storage with CORS policies."""

from __future__ import annotations

from emulator.testing import InProcessEmulator

SITE = {"display_name": "Docs Site", "repo_url": "https://github.com/user/docs", "default_branch": "main"}


async def test_static_site_crud(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post("/static-sites", json={**SITE, "build_command": "npm run build"})
    assert response.status_code == 201
    site = response.json()
    assert (
        site["source"] == "publicGit" and site["auto_deploy"] is True and site["is_preview_enabled"] is False
    )
    assert site["hostname"].startswith(site["name"]) and site["company_id"]
    assert site["build_command"] == "npm run build" and site["index_file"] == "index.html"
    missing = await emulator.api.post("/static-sites", json={"display_name": "Docs"})
    assert set(missing.json()["data"]["fields"]) == {"repo_url", "default_branch"}
    assert (
        await emulator.api.post("/static-sites", json={**SITE, "source": "dockerImage"})
    ).status_code == 422

    url = f"/static-sites/{site['id']}"
    patched = await emulator.api.patch(url, json={"node_version": "20.x", "published_directory": "dist"})
    assert patched.status_code == 200
    assert (patched.json()["node_version"], patched.json()["published_directory"]) == ("20.x", "dist")
    summary = (await emulator.api.get("/static-sites")).json()["data"][0]
    assert set(summary) == {"id", "name", "display_name", "status", "source", "created_at", "updated_at"}
    assert (await emulator.api.delete(url)).status_code == 204
    assert (await emulator.api.get(url)).status_code == 404


async def test_static_site_env_vars_and_domains(emulator: InProcessEmulator) -> None:
    site = (await emulator.api.post("/static-sites", json=SITE)).json()
    url = f"/static-sites/{site['id']}/env-vars"
    env = (await emulator.api.post(url, json={"key": "API_URL", "value": "https://x"})).json()
    assert (env["is_production"], env["is_preview"], env["branch"]) == (True, True, None)
    assert env["static_site_id"] == site["id"]
    listed = (await emulator.api.get(url)).json()
    assert isinstance(listed, list) and [item["id"] for item in listed] == [env["id"]]
    assert (await emulator.api.post(url, json={"key": "API_URL", "value": "y"})).status_code == 422
    put = await emulator.api.put(f"{url}/{env['id']}", json={"is_preview": False, "branch": "main"})
    assert (put.json()["is_preview"], put.json()["branch"]) == (False, "main")

    domains = f"/static-sites/{site['id']}/domains"
    domain = await emulator.api.post(domains, json={"domain_name": "docs.example.com"})
    assert domain.status_code == 201
    assert len((await emulator.api.get(domains)).json()) == 1  # a bare array

    await emulator.api.delete(f"/static-sites/{site['id']}")
    counts = await emulator.objects()
    assert counts["static_site_env_vars"] == 0 and counts["static_site_domains"] == 0 and counts["total"] == 0


async def test_object_storage_and_cors(emulator: InProcessEmulator) -> None:
    response = await emulator.api.post("/object-storage", json={"display_name": "Assets"})
    assert response.status_code == 201
    bucket = response.json()
    assert (bucket["location"], bucket["jurisdiction"], bucket["public_access"]) == ("enam", "default", False)
    for key in ("name", "endpoint", "access_key", "secret_key", "bucket_name", "company_id"):
        assert bucket[key], key
    assert bucket["domain"] is None
    assert (
        await emulator.api.post("/object-storage", json={"display_name": "X1", "location": "mars"})
    ).json()["data"]["fields"] == {"location": ["must be one of: apac, eeur, enam, oc, weur, wnam"]}
    public = (
        await emulator.api.post(
            "/object-storage", json={"display_name": "Public", "public_access": True, "jurisdiction": "eu"}
        )
    ).json()
    assert public["domain"] and public["jurisdiction"] == "eu"

    url = f"/object-storage/{bucket['id']}"
    patched_bucket = (await emulator.api.patch(url, json={"display_name": "Assets 2"})).json()
    assert patched_bucket["display_name"] == "Assets 2"
    # As the real API: the PATCH answer leaves out the S3 settings, a GET has them.
    assert not {"bucket_name", "endpoint", "access_key", "secret_key"} & set(patched_bucket)
    read_bucket = (await emulator.api.get(url)).json()
    assert read_bucket["bucket_name"] == bucket["bucket_name"] and read_bucket["access_key"]
    cors = f"{url}/cors-policies"
    created = await emulator.api.post(cors, json={"origins": ["https://a.com"], "methods": ["GET", "PUT"]})
    assert created.status_code == 201
    assert created.json() == {"message": "CORS policy created"}  # no id, as the real API
    (policy,) = (await emulator.api.get(cors)).json()["data"]
    assert policy["headers"] == [] and policy["object_storage_id"] == bucket["id"]
    assert (await emulator.api.post(cors, json={"origins": [], "methods": ["GET"]})).status_code == 422
    assert (await emulator.api.post(cors, json={"origins": ["*"], "methods": ["FETCH"]})).status_code == 422
    patched = await emulator.api.patch(f"{cors}/{policy['id']}", json={"headers": ["x-custom"]})
    assert patched.json() == {"message": "CORS policy updated"}
    page = (await emulator.api.get(cors)).json()
    assert page["total"] == 1 and page["data"][0]["headers"] == ["x-custom"]
    assert page["data"][0]["origins"] == ["https://a.com"]
    assert (await emulator.api.delete(f"{cors}/{policy['id']}")).status_code == 204
    assert (await emulator.api.get(cors)).json()["total"] == 0


async def test_static_site_env_vars_are_keyed_per_environment_and_branch(emulator: InProcessEmulator) -> None:
    site = (await emulator.api.post("/static-sites", json=SITE)).json()
    url = f"/static-sites/{site['id']}/env-vars"

    async def add(**fields: object) -> int:
        return (await emulator.api.post(url, json={"key": "API_URL", "value": "v", **fields})).status_code

    assert await add(is_preview=False) == 201  # production
    assert await add(is_production=False) == 201  # preview: the same key, another environment
    assert await add(is_preview=False, branch="next") == 201  # production of one branch
    assert await add(is_production=False, branch="next") == 201
    assert await add() == 422  # production and preview: both taken
    assert await add(is_production=False, branch="next") == 422
    listed = (await emulator.api.get(url)).json()
    production = next(item for item in listed if item["is_production"] and item["branch"] is None)
    # A change into an environment another variable of the key has is refused too.
    put = await emulator.api.put(f"{url}/{production['id']}", json={"is_preview": True})
    assert put.status_code == 422
