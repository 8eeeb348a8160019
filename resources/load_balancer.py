"""sevalla_load_balancer: a load balancer in front of applications, static sites, buckets,
external URLs or other load balancers (destinations are `sevalla_load_balancer_destination`).

Create = POST `{display_name, type, project_id}`; update = PATCH with the changed ones (the API
accepts all three). `type` is optional + computed (the API default is DEFAULT).
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed, optional, required
from provider.client.kinds import LOAD_BALANCER
from resources._base import PatchedServiceResource, Problem, Timestamped, length_between, one_of

TYPES = ("DEFAULT", "GEO")


@attrs.frozen(kw_only=True)
class LoadBalancerState(Timestamped):
    id: str | None = computed("Load balancer ID.")
    display_name: str = required("Display name (2-64 characters).")
    type: str | None = optional(
        f"Routing: {', '.join(TYPES)} (API default DEFAULT: by weight; GEO: nearest).", computed=True
    )
    project_id: str | None = optional("Project the load balancer belongs to.")
    name: str | None = computed("Unique name derived from the display name.")
    company_id: str | None = computed("Owning company.")


@register_resource("sevalla_load_balancer")
class LoadBalancer(PatchedServiceResource):
    config_class = state_class = LoadBalancerState
    noun = "load balancer"
    kind = LOAD_BALANCER

    def check(self, config: LoadBalancerState) -> list[Problem]:
        return length_between("display_name", config.display_name, 2, 64) + one_of("type", config.type, TYPES)
