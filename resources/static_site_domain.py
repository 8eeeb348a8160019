"""sevalla_static_site_domain: a custom domain of a static site (the shared domain resource)."""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.client.kinds import STATIC_SITE_DOMAIN
from resources._domain import DomainResource


@attrs.define(frozen=True)
class StaticSiteDomainConfig:
    static_site_id: str
    name: str
    is_wildcard: bool | None = None
    custom_ssl_cert: str | None = None
    custom_ssl_key: str | None = None


@attrs.define(frozen=True)
class StaticSiteDomainState(StaticSiteDomainConfig):
    id: str | None = None
    type: str | None = None
    is_primary: bool | None = None
    is_enabled: bool | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_static_site_domain")
class StaticSiteDomain(DomainResource):
    config_class = StaticSiteDomainConfig
    state_class = StaticSiteDomainState
    noun = "static site domain"
    kind = STATIC_SITE_DOMAIN
    parent_attribute = "static_site_id"
    parent_description = "Static site the domain belongs to."
