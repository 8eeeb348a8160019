"""sevalla_object_storage: an S3-compatible object storage bucket.

Create = POST with every configured field; only display_name and project_id can be PATCHed, so
location and jurisdiction force replacement. The API never returns `public_access` (it sets up a
public CDN domain at creation), so it is kept from the configuration: it is null after an import
and adopted from the configuration, unless it contradicts the bucket's `domain` (public buckets
have one), which forces replacement like any other creation-time setting. The S3 keys may be
returned on create only: a read without them keeps the known ones.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_bool, a_str, s_resource

from provider.client.kinds import OBJECT_STORAGE
from provider.diagnostics import reported
from provider.handlers import read_existing
from provider.runtime import get_client
from resources._base import (
    Problem,
    ServiceResource,
    json_ready,
    length_between,
    one_of,
    pick,
    plan_changes,
    timestamp_attributes,
    typed,
    unknown_string,
)

LOCATIONS = ("apac", "eeur", "enam", "oc", "weur", "wnam")
JURISDICTIONS = ("default", "eu", "fedramp")
CREATE_FIELDS = ("display_name", "location", "jurisdiction", "public_access", "project_id")
UPDATABLE = ("display_name", "project_id")
FROM_API = (
    "id", "display_name", "location", "jurisdiction", "project_id", "name", "domain", "endpoint",
    "bucket_name", "company_id", "created_at", "updated_at",
)  # fmt: skip
KEYS = ("access_key", "secret_key")


@attrs.define(frozen=True)
class ObjectStorageConfig:
    display_name: str
    location: str | None = None
    jurisdiction: str | None = None
    public_access: bool | None = None
    project_id: str | None = None


@attrs.define(frozen=True)
class ObjectStorageState(ObjectStorageConfig):
    id: str | None = None
    name: str | None = None
    domain: str | None = None
    endpoint: str | None = None
    access_key: str | None = None
    secret_key: str | None = None
    bucket_name: str | None = None
    company_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any], kept: Any) -> ObjectStorageState:
    """API values; `kept` (prior state or configuration, None on import) supplies public_access
    and any S3 key the answer leaves out."""
    keys = {name: body.get(name) or getattr(kept, name, None) for name in KEYS}
    return ObjectStorageState(
        **pick(body, FROM_API),
        **keys,  # type: ignore[arg-type]
        public_access=getattr(kept, "public_access", None),
    )


def public_access_conflicts(planned: Any, prior: ObjectStorageState) -> bool:
    """A configured public_access the bucket does not have (it has a CDN domain iff public).
    A null prior value (after an import, or never configured) is compared with the bucket itself."""
    if planned is None:
        return False
    actual = prior.public_access if prior.public_access is not None else prior.domain is not None
    return bool(planned) != actual


@register_resource("sevalla_object_storage")
class ObjectStorage(ServiceResource):
    config_class = ObjectStorageConfig
    state_class = ObjectStorageState
    noun = "object storage"
    kind = OBJECT_STORAGE

    @classmethod
    def get_schema(cls) -> PvsSchema:
        replace = {"optional": True, "computed": True, "requires_replace": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Object storage ID."),
                "display_name": a_str(required=True, description="Display name (2-64 characters)."),
                "location": a_str(
                    **replace,
                    description=f"Where most access happens: {', '.join(LOCATIONS)} (API default enam). "
                    "Changing it replaces the bucket.",
                ),
                "jurisdiction": a_str(
                    **replace,
                    description=f"Data residency: {', '.join(JURISDICTIONS)} (API default default). "
                    "Changing it replaces the bucket.",
                ),
                "public_access": a_bool(
                    optional=True,
                    description="Serve objects on a public CDN domain (default false). Set at creation: "
                    "changing it replaces the bucket.",
                ),
                "project_id": a_str(optional=True, description="Project the bucket belongs to."),
                "name": a_str(computed=True, description="Unique name derived from the display name."),
                "domain": a_str(computed=True, description="Public CDN domain; null unless public_access."),
                "endpoint": a_str(computed=True, description="S3-compatible API endpoint URL."),
                "access_key": a_str(computed=True, sensitive=True, description="S3 access key."),
                "secret_key": a_str(computed=True, sensitive=True, description="S3 secret key."),
                "bucket_name": a_str(computed=True, description="Bucket name for S3 clients."),
                "company_id": a_str(computed=True, description="Owning company."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: ObjectStorageConfig) -> list[Problem]:
        problems = one_of("location", config.location, LOCATIONS)
        problems += one_of("jurisdiction", config.jurisdiction, JURISDICTIONS)
        return problems + length_between("display_name", config.display_name, 2, 64)

    def from_api(self, body: dict[str, Any], kept: Any) -> ObjectStorageState:
        return state_from_api(body, kept)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior = typed(ctx.state, ObjectStorageState)
        if public_access_conflicts(json_ready(base_plan.get("public_access")), prior):
            ctx.require_replace("public_access")
        if plan_changes(base_plan, prior, UPDATABLE):
            base_plan["updated_at"] = unknown_string()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ObjectStorageState, None]:
        config = typed(ctx.config, ObjectStorageConfig)
        body = {name: getattr(config, name) for name in CREATE_FIELDS if getattr(config, name) is not None}
        with reported("create object storage"):
            created = await get_client().create(OBJECT_STORAGE.collection(), body)
        return state_from_api(created, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[ObjectStorageState, None]:
        planned = typed(ctx.planned_state, ObjectStorageState)
        prior = typed(ctx.state, ObjectStorageState)
        ref = OBJECT_STORAGE.ref(str(prior.id))
        changed = plan_changes(attrs.asdict(planned), prior, UPDATABLE)
        if changed:
            with reported("update object storage"):
                await get_client().update(ref, {name: getattr(planned, name) for name in changed})
        # The PATCH answer may leave out the bucket name, endpoint and keys.
        body = await read_existing("update object storage", ref, fresh=True)
        return state_from_api(body, planned), None
