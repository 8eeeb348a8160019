"""sevalla_object_storage_cors_policy: one CORS rule of an object storage bucket.

Wire names are `origins`, `methods`, `headers`. The API has no single-policy GET: a read lists
the bucket's policies and picks this one (a 404 on the bucket means the policy is gone too).
The API answers a create and an update with only a message: a create's policy is found in the list
by the client's reconciliation of the kind's identifying fields (origins, methods), an update's is
read back from the list.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, computed, listed, optional, parent, required
from provider.client.kinds import OBJECT_STORAGE_CORS_POLICY, Ref
from provider.diagnostics import reported
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import Problem, SevallaResource, split_import_id, typed
from resources._checks import items_one_of, no_empty_items

METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")


def headers(value: Any, kept: Any) -> list[str] | None:
    """An empty header list is null unless the configuration says [] (`kept`)."""
    return None if not value and kept is None else list(value or [])


@attrs.frozen(kw_only=True)
class CorsPolicyState(Table):
    id: str | None = computed("CORS policy ID.")
    object_storage_id: str = parent("Bucket the policy belongs to.")
    allowed_origins: list[str] = required(
        'Allowed origins, e.g. ["https://example.com"].', api="origins", read=listed
    )
    allowed_methods: list[str] = required(
        f"Allowed HTTP methods: {', '.join(METHODS)}.", api="methods", read=listed
    )
    allowed_headers: list[str] | None = optional("Allowed request headers.", api="headers", read=headers)


def wire_body(values: CorsPolicyState) -> dict[str, Any]:
    return {
        "origins": list(values.allowed_origins),
        "methods": list(values.allowed_methods),
        "headers": list(values.allowed_headers or []),
    }


@register_resource("sevalla_object_storage_cors_policy")
class ObjectStorageCorsPolicy(SevallaResource):
    kind = OBJECT_STORAGE_CORS_POLICY
    import_parent = "object_storage_id"
    config_class = state_class = CorsPolicyState
    noun = "object storage CORS policy"

    def check(self, config: CorsPolicyState) -> list[Problem]:
        problems: list[Problem] = []
        for name in ("allowed_origins", "allowed_methods"):
            if getattr(config, name) == []:
                problems.append((name, "must list at least one value"))
            problems += no_empty_items(name, getattr(config, name))
        # The methods S3-compatible CORS rules know (the buckets are Cloudflare R2).
        problems += items_one_of("allowed_methods", config.allowed_methods, METHODS)
        return problems + no_empty_items("allowed_headers", config.allowed_headers)

    @staticmethod
    def ref(values: CorsPolicyState, policy_id: str) -> Ref:
        return OBJECT_STORAGE_CORS_POLICY.ref(values.object_storage_id, policy_id)

    async def find(self, object_storage_id: str, policy_id: str, action: str, kept: Any) -> Any:
        ref = OBJECT_STORAGE_CORS_POLICY.ref(object_storage_id, policy_id)
        found = await read_object(f"{action} {self.noun}", ref)
        return (
            None
            if found is None
            else CorsPolicyState.from_api(found, kept, object_storage_id=object_storage_id)
        )

    async def _create_apply(self, ctx: ResourceContext) -> tuple[CorsPolicyState, None]:
        config = typed(ctx.config, CorsPolicyState)
        collection = OBJECT_STORAGE_CORS_POLICY.collection(config.object_storage_id)
        with reported(f"create {self.noun}"):
            created = await get_client().create(collection, wire_body(config))
        return CorsPolicyState.from_api(created, config, object_storage_id=config.object_storage_id), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[CorsPolicyState, None]:
        planned = typed(ctx.planned_state, CorsPolicyState)
        ref = self.ref(planned, str(planned.id))
        with reported(f"update {self.noun}"):
            updated = await get_client().update(ref, wire_body(planned))
        return CorsPolicyState.from_api(updated, planned, object_storage_id=planned.object_storage_id), None

    async def read(self, ctx: ResourceContext) -> CorsPolicyState | None:
        prior = typed(ctx.state, CorsPolicyState)
        found: CorsPolicyState | None = await self.find(prior.object_storage_id, str(prior.id), "read", prior)
        return found

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, CorsPolicyState)
        with reported(f"delete {self.noun}"):
            await get_client().delete(self.ref(prior, str(prior.id)))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> CorsPolicyState | None:
        object_storage_id, policy_id = split_import_id(import_id, ("object_storage_id", "cors_policy_id"))
        found: CorsPolicyState | None = await self.find(object_storage_id, policy_id, "import", None)
        return found
