"""sevalla_database (data source): one database by id, every attribute computed.

The password, user and extensions are never returned by the API: they are null here."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.database import Database as DatabaseResource
from resources.database import DatabaseState, state_from_api


@register_data_source("sevalla_database")
class Database(ByIdDataSource):
    resource = DatabaseResource
    noun = "database"
    state_class = DatabaseState

    def from_api(self, body: dict[str, Any]) -> DatabaseState:
        return state_from_api(body, None)
