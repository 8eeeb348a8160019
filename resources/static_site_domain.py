"""sevalla_static_site_domain: a custom domain of a static site (the shared domain resource).

A certificate or key change replaces the domain (but after an import, when the configuration's
pair is adopted in place)."""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import parent
from provider.client.kinds import STATIC_SITE_DOMAIN
from resources._domain import DomainResource, DomainState, pem

REPLACES = " Changing it replaces the domain."


@attrs.frozen(kw_only=True)
class StaticSiteDomainState(DomainState):
    static_site_id: str = parent("Static site the domain belongs to.")
    custom_ssl_cert: str | None = pem("certificate", REPLACES)
    custom_ssl_key: str | None = pem("private key", REPLACES)


@register_resource("sevalla_static_site_domain")
class StaticSiteDomain(DomainResource):
    config_class = state_class = StaticSiteDomainState
    noun = "static site domain"
    certificate_change_replaces = True
    kind = STATIC_SITE_DOMAIN
