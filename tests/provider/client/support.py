"""A client against respx's made-up API, for the client tests (no rate limits, short backoff)."""

from __future__ import annotations

from typing import Any

from provider.client import SevallaClient
from provider.settings import ProviderSettings

BASE = "https://api.test/v3"


def made_up_api_client(*, api_key: str = "k", **overrides: Any) -> SevallaClient:
    values: dict[str, Any] = {"rate_limit_enabled": False, "retry_delay": 0.01, **overrides}
    return SevallaClient(ProviderSettings(api_key=api_key, api_url=BASE, **values), user_agent="test")
