"""sevalla_static_site (data source): one static site by id, every attribute computed."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.static_site import StaticSite as StaticSiteResource


@register_data_source("sevalla_static_site")
class StaticSite(ByIdDataSource):
    resource = StaticSiteResource
    noun = "static site"
