"""sevalla_load_balancer (data source): one load balancer by id, every attribute computed."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.load_balancer import LoadBalancer as LoadBalancerResource
from resources.load_balancer import LoadBalancerState, state_from_api


@register_data_source("sevalla_load_balancer")
class LoadBalancer(ByIdDataSource):
    resource = LoadBalancerResource
    noun = "load balancer"
    state_class = LoadBalancerState

    def from_api(self, body: dict[str, Any]) -> LoadBalancerState:
        return state_from_api(body)
