"""sevalla_application_ip_restriction: which client IPs may (allow) or may not (deny) reach an
application. It has no id: it is keyed by application_id (import id: the application id).

Every application always has a restriction in the API (disabled, with an empty list, until set),
so create and update are the same PUT, and delete PUTs it back to that state: `is_enabled =
false` with an empty `ip_list`. Import refuses an application whose restriction is in that
never-set state ("Cannot import non-existent remote object"). The logic is shared with
sevalla_database_ip_restriction (resources/_ip_restriction.py).
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import parent
from provider.client.kinds import APPLICATION_IP_RESTRICTION
from resources._ip_restriction import IpRestrictionResource, IpRestrictionState


@attrs.frozen(kw_only=True)
class ApplicationIpRestrictionState(IpRestrictionState):
    application_id: str = parent("Application the restriction applies to.")


@register_resource("sevalla_application_ip_restriction")
class ApplicationIpRestriction(IpRestrictionResource):
    config_class = state_class = ApplicationIpRestrictionState
    noun = "application IP restriction"
    kind = APPLICATION_IP_RESTRICTION
