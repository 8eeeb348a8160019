"""sevalla_application (data source): one application by id, every attribute computed."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.application import Application as ApplicationResource


@register_data_source("sevalla_application")
class Application(ByIdDataSource):
    resource = ApplicationResource
    noun = "application"
