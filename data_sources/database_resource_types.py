"""sevalla_database_resource_types: the sizes a database can have."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_num, a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import DATABASE_RESOURCE_TYPES


@register_data_source("sevalla_database_resource_types")
class DatabaseResourceTypes(ReferenceList):
    kind = DATABASE_RESOURCE_TYPES
    list_attribute = "database_resource_types"
    item_fields = {
        "id": a_str(),
        "name": a_str(),
        "cpu_limit": a_num(),
        "memory_limit": a_num(),
        "storage_limit": a_num(),
        "category": a_str(),
    }
