"""sevalla_load_balancer (data source): one load balancer by id, every attribute computed."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.load_balancer import LoadBalancer as LoadBalancerResource


@register_data_source("sevalla_load_balancer")
class LoadBalancer(ByIdDataSource):
    resource = LoadBalancerResource
    noun = "load balancer"
