"""sevalla_api_key (data source): one API key by id, every attribute computed. The API shows a
key's token only when it is created, so `token` is always null here."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.api_key import ApiKey as ApiKeyResource


@register_data_source("sevalla_api_key")
class ApiKey(ByIdDataSource):
    resource = ApiKeyResource
    noun = "API key"
