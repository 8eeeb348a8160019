"""sevalla_webhook (data source): one webhook by id, every attribute computed (the secrets
sensitive)."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.webhook import Webhook as WebhookResource
from resources.webhook import WebhookState, state_from_api


@register_data_source("sevalla_webhook")
class Webhook(ByIdDataSource):
    resource = WebhookResource
    noun = "webhook"
    state_class = WebhookState

    def from_api(self, body: dict[str, Any]) -> WebhookState:
        return state_from_api(body)
