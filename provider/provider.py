"""The provider: its configuration schema and the one API client it hands to every handler."""

from __future__ import annotations

from typing import Any

from pyvider.capabilities import BaseCapability, register_capability
from pyvider.providers import BaseProvider, ProviderMetadata, register_provider
from pyvider.schema import PvsAttribute, a_str

from provider import VERSION
from provider.client import SevallaClient, SevallaError
from provider.diagnostics import to_terraform_error
from provider.settings import resolve_settings


@register_capability("sevalla")
class SevallaSettingsCapability(BaseCapability):
    """Contributes the provider block's attributes (pyvider builds the schema from capabilities)."""

    def __init__(self, config: Any | None = None) -> None:
        self.config = config

    @staticmethod
    def get_schema_contribution() -> dict[str, PvsAttribute]:
        return {
            "api_key": a_str(
                description="Sevalla API key. Falls back to the SEVALLA_API_KEY environment variable.",
                optional=True,
                sensitive=True,
            ),
            "api_url": a_str(
                description=(
                    "Sevalla API base URL, default https://api.sevalla.com/v3. Falls back to "
                    "SEVALLA_API_URL. Must be https, except for loopback hosts (the local emulator)."
                ),
                optional=True,
            ),
            "request_timeout": a_str(
                description='Timeout of one HTTP request, Go duration syntax ("30s"). '
                "Falls back to SEVALLA_REQUEST_TIMEOUT; default 30s.",
                optional=True,
            ),
        }


@register_provider("sevalla")
class SevallaProvider(BaseProvider):
    def __init__(self) -> None:
        super().__init__(metadata=ProviderMetadata(name="sevalla", version=VERSION))
        self.client: SevallaClient | None = None

    async def configure(self, config: Any) -> None:
        try:
            settings = resolve_settings(config)
        except SevallaError as exc:
            raise to_terraform_error("configure the provider", exc) from exc
        await super().configure(config)
        self.client = SevallaClient(settings, user_agent=f"terraform-provider-sevalla/{VERSION}")
