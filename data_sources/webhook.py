"""sevalla_webhook (data source): one webhook by id, every attribute computed (the secrets
sensitive)."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from provider.client import endpoints
from resources.webhook import Webhook as WebhookResource


@register_data_source("sevalla_webhook")
class Webhook(ByIdDataSource):
    resource = WebhookResource
    noun = "webhook"

    def path(self, object_id: str) -> str:
        return endpoints.webhook(object_id)
