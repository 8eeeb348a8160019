"""sevalla_api_key_permissions: the permissions an API key's capabilities can name."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_str

from data_sources._reference import ReferenceList
from provider.client import endpoints


@register_data_source("sevalla_api_key_permissions")
class ApiKeyPermissions(ReferenceList):
    path = endpoints.api_key_permissions()
    list_attribute = "permissions"
    item_fields = {name: a_str() for name in ("id", "name", "description", "resource", "action")}
