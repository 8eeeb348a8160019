"""sevalla_load_balancer: a load balancer in front of applications, static sites, buckets,
external URLs or other load balancers (destinations are `sevalla_load_balancer_destination`).

Create = POST `{display_name, type, project_id}`; update = PATCH with the changed ones (the API
accepts all three). `type` is optional + computed (the API default is DEFAULT).
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsSchema, a_str, s_resource

from provider.client.kinds import LOAD_BALANCER
from resources._base import (
    PatchedServiceResource,
    Problem,
    length_between,
    one_of,
    pick,
    timestamp_attributes,
)

TYPES = ("DEFAULT", "GEO")
WRITABLE = ("display_name", "type", "project_id")
FROM_API = (*WRITABLE, "id", "name", "company_id", "created_at", "updated_at")


@attrs.define(frozen=True)
class LoadBalancerConfig:
    display_name: str
    type: str | None = None
    project_id: str | None = None


@attrs.define(frozen=True)
class LoadBalancerState(LoadBalancerConfig):
    id: str | None = None
    name: str | None = None
    company_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any]) -> LoadBalancerState:
    return LoadBalancerState(**pick(body, FROM_API))


@register_resource("sevalla_load_balancer")
class LoadBalancer(PatchedServiceResource):
    config_class = LoadBalancerConfig
    state_class = LoadBalancerState
    noun = "load balancer"
    kind = LOAD_BALANCER
    writable = WRITABLE

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Load balancer ID."),
                "display_name": a_str(required=True, description="Display name (2-64 characters)."),
                "type": a_str(
                    optional=True,
                    computed=True,
                    description=f"Routing: {', '.join(TYPES)} (API default DEFAULT: by weight; GEO: nearest).",
                ),
                "project_id": a_str(optional=True, description="Project the load balancer belongs to."),
                "name": a_str(computed=True, description="Unique name derived from the display name."),
                "company_id": a_str(computed=True, description="Owning company."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: LoadBalancerConfig) -> list[Problem]:
        return length_between("display_name", config.display_name, 2, 64) + one_of("type", config.type, TYPES)

    def from_api(self, body: dict[str, Any], kept: Any) -> LoadBalancerState:
        return state_from_api(body)
