"""sevalla_webhook (data source): one webhook by id, every attribute computed (the secrets
sensitive)."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.webhook import Webhook as WebhookResource


@register_data_source("sevalla_webhook")
class Webhook(ByIdDataSource):
    resource = WebhookResource
    noun = "webhook"
