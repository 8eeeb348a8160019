"""sevalla_database (data source): one database by id, every attribute computed.

The password, user and extensions are never returned by the API: they are null here."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.database import Database as DatabaseResource


@register_data_source("sevalla_database")
class Database(ByIdDataSource):
    resource = DatabaseResource
    noun = "database"
