"""sevalla_api_key (data source): one API key by id, every attribute computed. The API shows a
key's token only when it is created, so `token` is always null here."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.api_key import ApiKey as ApiKeyResource
from resources.api_key import ApiKeyState, state_from_api


@register_data_source("sevalla_api_key")
class ApiKey(ByIdDataSource):
    resource = ApiKeyResource
    noun = "API key"
    state_class = ApiKeyState

    def from_api(self, body: dict[str, Any]) -> ApiKeyState:
        return state_from_api(body, None)
