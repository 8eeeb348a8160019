"""sevalla_application_domain: a custom domain of an application (the shared domain resource).

A certificate or key change is a PATCH, never a replacement (null after an import, the pair is
then adopted from the configuration by the same in-place update).
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.client.kinds import APPLICATION_DOMAIN
from resources._domain import DomainResource


@attrs.define(frozen=True)
class DomainConfig:
    application_id: str
    name: str
    is_wildcard: bool | None = None
    custom_ssl_cert: str | None = None
    custom_ssl_key: str | None = None


@attrs.define(frozen=True)
class DomainState(DomainConfig):
    id: str | None = None
    type: str | None = None
    is_primary: bool | None = None
    is_enabled: bool | None = None
    status: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@register_resource("sevalla_application_domain")
class ApplicationDomain(DomainResource):
    config_class = DomainConfig
    state_class = DomainState
    noun = "application domain"
    kind = APPLICATION_DOMAIN
    parent_attribute = "application_id"
    parent_description = "Application the domain belongs to."
    certificate_change_replaces = False
