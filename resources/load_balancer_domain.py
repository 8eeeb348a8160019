"""sevalla_load_balancer_domain: a custom domain of a load balancer (the shared domain resource).

As in the official provider, a certificate or key change is an in-place PATCH, not a replacement.
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.client.kinds import LOAD_BALANCER_DOMAIN
from resources._domain import DomainResource


@attrs.define(frozen=True)
class LoadBalancerDomainConfig:
    load_balancer_id: str
    name: str
    is_wildcard: bool | None = None
    custom_ssl_cert: str | None = None
    custom_ssl_key: str | None = None


@attrs.define(frozen=True)
class LoadBalancerDomainState(LoadBalancerDomainConfig):
    id: str | None = None
    type: str | None = None
    is_primary: bool | None = None
    is_enabled: bool | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_load_balancer_domain")
class LoadBalancerDomain(DomainResource):
    config_class = LoadBalancerDomainConfig
    state_class = LoadBalancerDomainState
    noun = "load balancer domain"
    kind = LOAD_BALANCER_DOMAIN
    parent_attribute = "load_balancer_id"
    parent_description = "Load balancer the domain belongs to."
    certificate_change_replaces = False
