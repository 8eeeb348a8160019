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
    ObjectStorageState,
    public_access_conflicts,
)
from resources.object_storage_cors_policy import (
    CorsPolicyState,
    ObjectStorageCorsPolicy,
    wire_body,
)

BUCKET = {
    "id": "b1", "display_name": "assets", "location": "weur", "jurisdiction": "eu", "project_id": None,
    "name": "assets-x1", "domain": None, "endpoint": "https://s3", "bucket_name": "assets-x1",
    "company_id": "c1", "created_at": "t0", "updated_at": "t1", "public_access": True,
}  # fmt: skip


def cors(
    bucket: str, origins: list[str], methods: list[str], headers: list[str] | None = None
) -> CorsPolicyState:
    return CorsPolicyState(
        object_storage_id=bucket, allowed_origins=origins, allowed_methods=methods, allowed_headers=headers
    )


def test_keys_missing_from_an_answer_are_kept() -> None:
    prior = ObjectStorageState.from_api({**BUCKET, "access_key": "AK", "secret_key": "SK"})
    assert (prior.access_key, prior.secret_key) == ("AK", "SK")
    again = ObjectStorageState.from_api(BUCKET, prior)
    assert (again.access_key, again.secret_key) == ("AK", "SK")


def test_public_access_comes_from_configuration_not_the_api() -> None:
    assert ObjectStorageState.from_api(BUCKET).public_access is None
    config = ObjectStorageState(display_name="assets", public_access=False)
    assert ObjectStorageState.from_api(BUCKET, config).public_access is False


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
    config = ObjectStorageState(display_name="x", location="mars", jurisdiction="moon")
    assert set(dict(ObjectStorage().check(config))) == {"display_name", "location", "jurisdiction"}
    assert ObjectStorage().check(ObjectStorageState(display_name="ok", location="oc")) == []


def test_cors_headers_are_null_unless_configured() -> None:
    body = {"id": "p1", "origins": ["*"], "methods": ["GET"], "headers": []}
    assert CorsPolicyState.from_api(body, object_storage_id="b1").allowed_headers is None
    configured_empty = cors("b1", ["*"], ["GET"], [])
    assert CorsPolicyState.from_api(body, configured_empty, object_storage_id="b1").allowed_headers == []
    with_headers = CorsPolicyState.from_api({**body, "headers": ["X-A"]}, object_storage_id="b1")
    assert with_headers.allowed_headers == ["X-A"] and with_headers.object_storage_id == "b1"


def test_cors_wire_body_clears_dropped_headers() -> None:
    assert wire_body(cors("b1", ["*"], ["GET"])) == {
        "origins": ["*"],
        "methods": ["GET"],
        "headers": [],
    }


def test_cors_check() -> None:
    config = cors("b1", [], ["GET", "PATCH"], [""])
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
    config = cors("b1", ["https://a.example"], ["GET"])
    state, _ = await ObjectStorageCorsPolicy()._create_apply(ResourceContext(config=config))
    assert state.id == "new" and state.allowed_headers is None
    assert (post.call_count, listing.call_count) == (1, 1)
