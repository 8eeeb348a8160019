"""sevalla_static_site (data source): one static site by id, every attribute computed."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.static_site import StaticSite as StaticSiteResource
from resources.static_site import StaticSiteState, state_from_api


@register_data_source("sevalla_static_site")
class StaticSite(ByIdDataSource):
    resource = StaticSiteResource
    noun = "static site"
    state_class = StaticSiteState

    def from_api(self, body: dict[str, Any]) -> StaticSiteState:
        return state_from_api(body)
