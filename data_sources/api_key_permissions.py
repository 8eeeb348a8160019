"""sevalla_api_key_permissions: the permissions an API key's capabilities can name."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import API_KEY_PERMISSIONS


@register_data_source("sevalla_api_key_permissions")
class ApiKeyPermissions(ReferenceList):
    kind = API_KEY_PERMISSIONS
    list_attribute = "permissions"
    item_fields = {name: a_str() for name in ("id", "name", "description", "resource", "action")}
