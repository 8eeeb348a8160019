"""sevalla_api_key_roles: the roles an API key can be given (`role_ids`), with their permissions."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_list, a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import API_KEY_ROLES


@register_data_source("sevalla_api_key_roles")
class ApiKeyRoles(ReferenceList):
    kind = API_KEY_ROLES
    list_attribute = "roles"
    item_fields = {
        **{name: a_str() for name in ("id", "name", "description")},
        "permissions": a_list(a_str()),
    }
