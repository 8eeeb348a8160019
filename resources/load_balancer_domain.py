"""sevalla_load_balancer_domain: a custom domain of a load balancer (the shared domain resource).

As in the official provider, a certificate or key change is an in-place PATCH, not a replacement.
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import parent
from provider.client.kinds import LOAD_BALANCER_DOMAIN
from resources._domain import DomainResource, DomainState


@attrs.frozen(kw_only=True)
class LoadBalancerDomainState(DomainState):
    load_balancer_id: str = parent("Load balancer the domain belongs to.")


@register_resource("sevalla_load_balancer_domain")
class LoadBalancerDomain(DomainResource):
    config_class = state_class = LoadBalancerDomainState
    noun = "load balancer domain"
    kind = LOAD_BALANCER_DOMAIN
