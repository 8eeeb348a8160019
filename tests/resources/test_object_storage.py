from __future__ import annotations

from pathlib import Path

import pytest
import respx
from pyvider.resources import ResourceContext

from data_sources.object_storage import ObjectStorage as ObjectStorageDataSource
from provider.client import SevallaClient
from provider.settings import ProviderSettings
from resources import object_storage_cors_policy as cors_module
from resources.object_storage import (
    ObjectStorage,
    ObjectStorageConfig,
    ObjectStorageState,
    public_access_conflicts,
    state_from_api,
)
from resources.object_storage_cors_policy import (
    CorsPolicyConfig,
    ObjectStorageCorsPolicy,
    wire_body,
)
from resources.object_storage_cors_policy import (
    state_from_api as cors_from_api,
)

BUCKET = {
    "id": "b1", "display_name": "assets", "location": "weur", "jurisdiction": "eu", "project_id": None,
    "name": "assets-x1", "domain": None, "endpoint": "https://s3", "bucket_name": "assets-x1",
    "company_id": "c1", "created_at": "t0", "updated_at": "t1", "public_access": True,
}  # fmt: skip


def test_keys_missing_from_an_answer_are_kept() -> None:
    prior = state_from_api({**BUCKET, "access_key": "AK", "secret_key": "SK"}, None)
    assert (prior.access_key, prior.secret_key) == ("AK", "SK")
    again = state_from_api(BUCKET, prior)
    assert (again.access_key, again.secret_key) == ("AK", "SK")


def test_public_access_comes_from_configuration_not_the_api() -> None:
    assert state_from_api(BUCKET, None).public_access is None
    config = ObjectStorageConfig(display_name="assets", public_access=False)
    assert state_from_api(BUCKET, config).public_access is False


def test_public_access_conflicts_with_the_bucket() -> None:
    private = ObjectStorageState(display_name="a", domain=None)
    public_imported = ObjectStorageState(display_name="a", domain="a.cdn")
    assert not public_access_conflicts(None, private)
    assert not public_access_conflicts(False, private), "false is what an unset bucket already is"
    assert public_access_conflicts(True, private)
    assert not public_access_conflicts(True, public_imported), "adopted after an import"
    assert public_access_conflicts(False, public_imported)
    configured = ObjectStorageState(display_name="a", public_access=True, domain="a.cdn")
    assert public_access_conflicts(False, configured)


def test_data_source_derives_public_access_from_the_domain() -> None:
    data_source = ObjectStorageDataSource()
    assert data_source.from_api(BUCKET).public_access is False
    assert data_source.from_api({**BUCKET, "domain": "a.cdn"}).public_access is True


def test_check_reports_each_problem() -> None:
    config = ObjectStorageConfig(display_name="x", location="mars", jurisdiction="moon")
    assert set(dict(ObjectStorage().check(config))) == {"display_name", "location", "jurisdiction"}
    assert ObjectStorage().check(ObjectStorageConfig(display_name="ok", location="oc")) == []


def test_cors_headers_are_null_unless_configured() -> None:
    body = {"id": "p1", "origins": ["*"], "methods": ["GET"], "headers": []}
    assert cors_from_api("b1", body, None).allowed_headers is None
    configured_empty = CorsPolicyConfig("b1", ["*"], ["GET"], [])
    assert cors_from_api("b1", body, configured_empty).allowed_headers == []
    with_headers = cors_from_api("b1", {**body, "headers": ["X-A"]}, None)
    assert with_headers.allowed_headers == ["X-A"] and with_headers.object_storage_id == "b1"


def test_cors_wire_body_clears_dropped_headers() -> None:
    assert wire_body(CorsPolicyConfig("b1", ["*"], ["GET"])) == {
        "origins": ["*"],
        "methods": ["GET"],
        "headers": [],
    }


def test_cors_check() -> None:
    config = CorsPolicyConfig("b1", [], ["GET", "PATCH"], [""])
    assert set(dict(ObjectStorageCorsPolicy().check(config))) == {
        "allowed_origins",
        "allowed_methods",
        "allowed_headers",
    }


@respx.mock
async def test_cors_create_finds_the_policy_when_the_answer_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real API may answer a CORS create with only a message: the client finds it."""
    base = "https://api.test/v3"
    monkeypatch.setenv("SEVALLA_DISK_CACHE_DIR", str(tmp_path))
    client = SevallaClient(
        ProviderSettings(api_key="k", api_url=base, rate_limit_enabled=False), user_agent="t"
    )
    monkeypatch.setattr(cors_module, "get_client", lambda: client)
    post = respx.post(f"{base}/object-storage/b1/cors-policies").respond(201, json={"message": "created"})
    other = {"id": "old", "origins": ["*"], "methods": ["GET"], "headers": []}
    ours = {"id": "new", "origins": ["https://a.example"], "methods": ["GET"], "headers": []}
    listing = respx.get(f"{base}/object-storage/b1/cors-policies").respond(
        200, json={"data": [other, ours], "total": 2}
    )
    config = CorsPolicyConfig("b1", ["https://a.example"], ["GET"])
    state, _ = await ObjectStorageCorsPolicy()._create_apply(ResourceContext(config=config))
    assert state.id == "new" and state.allowed_headers is None
    assert (post.call_count, listing.call_count) == (1, 1)
