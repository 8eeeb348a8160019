"""sevalla_object_storage: an S3-compatible object storage bucket.

Create = POST with every configured field; only display_name and project_id can be PATCHed, so
location and jurisdiction force replacement. The API never returns `public_access` (it sets up a
public CDN domain at creation), so it is kept from the configuration: it is null after an import
and adopted from the configuration, unless it contradicts the bucket's `domain` (public buckets
have one), which forces replacement like any other creation-time setting. The S3 keys may be
returned on create only: a read without them keeps the known ones.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import computed, optional, or_kept, required
from provider.client.kinds import OBJECT_STORAGE
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import (
    Problem,
    ServiceResource,
    Timestamped,
    json_ready,
    length_between,
    one_of,
    patch_or_read,
    plan_changes,
    typed,
    unknown_string,
)

LOCATIONS = ("apac", "eeur", "enam", "oc", "weur", "wnam")
JURISDICTIONS = ("default", "eu", "fedramp")
# What only a creation sets: a change replaces the bucket.
creation_setting = partial(optional, computed=True, requires_replace=True)


@attrs.frozen(kw_only=True)
class ObjectStorageState(Timestamped):
    id: str | None = computed("Object storage ID.")
    display_name: str = required("Display name (2-64 characters).")
    location: str | None = creation_setting(
        f"Where most access happens: {', '.join(LOCATIONS)} (API default enam). "
        "Changing it replaces the bucket."
    )
    jurisdiction: str | None = creation_setting(
        f"Data residency: {', '.join(JURISDICTIONS)} (API default default). Changing it replaces the bucket."
    )
    # Never returned: kept from the configuration (the bucket's domain tells, see _update).
    public_access: bool | None = optional(
        "Serve objects on a public CDN domain (default false). Set at creation: "
        "changing it replaces the bucket.",
        api=None,
        update=False,
    )
    project_id: str | None = optional("Project the bucket belongs to.")
    name: str | None = computed("Unique name derived from the display name.")
    domain: str | None = computed("Public CDN domain; null unless public_access.")
    endpoint: str | None = computed("S3-compatible API endpoint URL.")
    # Perhaps returned by the create only: a read without them keeps the known ones.
    access_key: str | None = computed("S3 access key.", sensitive=True, read=or_kept)
    secret_key: str | None = computed("S3 secret key.", sensitive=True, read=or_kept)
    bucket_name: str | None = computed("Bucket name for S3 clients.")
    company_id: str | None = computed("Owning company.")


CREATE_FIELDS = ObjectStorageState.names(create=True)
UPDATABLE = ObjectStorageState.names(update=True)


def public_access_conflicts(planned: Any, prior: ObjectStorageState) -> bool:
    """A configured public_access the bucket does not have (it has a CDN domain iff public).
    A null prior value (after an import, or never configured) is compared with the bucket itself."""
    if planned is None:
        return False
    actual = prior.public_access if prior.public_access is not None else prior.domain is not None
    return bool(planned) != actual


@register_resource("sevalla_object_storage")
class ObjectStorage(ServiceResource):
    config_class = state_class = ObjectStorageState
    noun = "object storage"
    kind = OBJECT_STORAGE

    def check(self, config: ObjectStorageState) -> list[Problem]:
        problems = one_of("location", config.location, LOCATIONS)
        problems += one_of("jurisdiction", config.jurisdiction, JURISDICTIONS)
        return problems + length_between("display_name", config.display_name, 2, 64)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior = typed(ctx.state, ObjectStorageState)
        if public_access_conflicts(json_ready(base_plan.get("public_access")), prior):
            ctx.require_replace("public_access")
        if plan_changes(base_plan, prior, UPDATABLE):
            base_plan["updated_at"] = unknown_string()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ObjectStorageState, None]:
        config = typed(ctx.config, ObjectStorageState)
        body = {name: getattr(config, name) for name in CREATE_FIELDS if getattr(config, name) is not None}
        with reported("create object storage"):
            created = await get_client().create(OBJECT_STORAGE.collection(), body)
        return ObjectStorageState.from_api(created, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[ObjectStorageState, None]:
        planned = typed(ctx.planned_state, ObjectStorageState)
        prior = typed(ctx.state, ObjectStorageState)
        ref = OBJECT_STORAGE.ref(str(prior.id))
        changed = plan_changes(attrs.asdict(planned), prior, UPDATABLE)
        # The client reads a PATCHed bucket back (its answer leaves out the name, endpoint, keys).
        body = await patch_or_read(
            "update object storage", ref, {name: getattr(planned, name) for name in changed}
        )
        return ObjectStorageState.from_api(body, planned), None
