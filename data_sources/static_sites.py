"""sevalla_static_sites: every static site of the company (summary fields; follows pagination)."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import STATIC_SITE


@register_data_source("sevalla_static_sites")
class StaticSites(ReferenceList):
    kind = STATIC_SITE
    list_attribute = "static_sites"
    item_fields = {
        name: a_str()
        for name in ("id", "name", "display_name", "status", "source", "created_at", "updated_at")
    }
