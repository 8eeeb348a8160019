"""sevalla_application (data source): one application by id, every attribute computed."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from provider.client import endpoints
from resources.application import Application as ApplicationResource


@register_data_source("sevalla_application")
class Application(ByIdDataSource):
    resource = ApplicationResource
    noun = "application"

    def path(self, object_id: str) -> str:
        return endpoints.application(object_id)
