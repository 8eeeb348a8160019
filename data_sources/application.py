"""sevalla_application (data source): one application by id, every attribute computed."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.application import Application as ApplicationResource
from resources.application import ApplicationState, state_from_api


@register_data_source("sevalla_application")
class Application(ByIdDataSource):
    resource = ApplicationResource
    noun = "application"
    state_class = ApplicationState

    def from_api(self, body: dict[str, Any]) -> ApplicationState:
        return state_from_api(body, cluster_id=None)
