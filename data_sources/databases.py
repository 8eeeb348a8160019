"""sevalla_databases: every database of the company (summary fields; follows pagination)."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_bool, a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import DATABASE


@register_data_source("sevalla_databases")
class Databases(ReferenceList):
    kind = DATABASE
    list_attribute = "databases"
    item_fields = {
        **{name: a_str() for name in ("id", "name", "display_name", "type", "status")},
        "is_suspended": a_bool(),
        "created_at": a_str(),
        "updated_at": a_str(),
    }
