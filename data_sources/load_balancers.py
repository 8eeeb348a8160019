"""sevalla_load_balancers: every load balancer of the company (summary fields; follows pagination)."""

from __future__ import annotations

from pyvider.data_sources import register_data_source
from pyvider.schema import a_str

from data_sources._reference import ReferenceList
from provider.client.kinds import LOAD_BALANCER


@register_data_source("sevalla_load_balancers")
class LoadBalancers(ReferenceList):
    kind = LOAD_BALANCER
    list_attribute = "load_balancers"
    item_fields = {
        name: a_str() for name in ("id", "name", "display_name", "type", "created_at", "updated_at")
    }
