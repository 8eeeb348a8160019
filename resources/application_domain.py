"""sevalla_application_domain: a custom domain of an application (the shared domain resource).

A certificate or key change is a PATCH, never a replacement (null after an import, the pair is
then adopted from the configuration by the same in-place update).
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import parent
from provider.client.kinds import APPLICATION_DOMAIN
from resources._domain import DomainResource, DomainState


@attrs.frozen(kw_only=True)
class ApplicationDomainState(DomainState):
    application_id: str = parent("Application the domain belongs to.")


@register_resource("sevalla_application_domain")
class ApplicationDomain(DomainResource):
    config_class = state_class = ApplicationDomainState
    noun = "application domain"
    kind = APPLICATION_DOMAIN
