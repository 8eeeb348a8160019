"""sevalla_database_ip_restriction: which client IPs may (allow) or may not (deny) connect to a
database from outside. It has no id: it is keyed by database_id (import id: the database id).

Same behaviour as sevalla_application_ip_restriction (resources/_ip_restriction.py): create and
update PUT `/databases/{id}/ip-restriction`; destroy PUTs it back to disabled with an empty list.
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import parent
from provider.client.kinds import DATABASE_IP_RESTRICTION
from resources._ip_restriction import IpRestrictionResource, IpRestrictionState


@attrs.frozen(kw_only=True)
class DatabaseIpRestrictionState(IpRestrictionState):
    database_id: str = parent("Database the restriction applies to.")


@register_resource("sevalla_database_ip_restriction")
class DatabaseIpRestriction(IpRestrictionResource):
    config_class = state_class = DatabaseIpRestrictionState
    noun = "database IP restriction"
    kind = DATABASE_IP_RESTRICTION
