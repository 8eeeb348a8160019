"""Where handlers find the configured client, and what Terraform told us about itself."""

from __future__ import annotations

from typing import Any

from pyvider.exceptions import ResourceError
from pyvider.hub import hub

from provider.client import SevallaClient

_terraform_version = "unknown"


def terraform_version() -> str:
    return _terraform_version


def capture_terraform_version() -> None:
    """Wrap pyvider's ConfigureProvider handler to learn Terraform's version (for the
    User-Agent): the provider's configure() hook only receives the configuration."""
    from pyvider.protocols.tfprotov6 import handlers

    original = handlers.ConfigureProviderHandler
    if getattr(original, "_sevalla_wrapped", False):
        return

    async def configure_provider(request: Any, context: Any) -> Any:
        global _terraform_version
        _terraform_version = getattr(request, "terraform_version", "") or "unknown"
        return await original(request, context)

    configure_provider._sevalla_wrapped = True  # type: ignore[attr-defined]
    handlers.ConfigureProviderHandler = configure_provider
    server = hub.get_component("singleton", "rpc_plugin_server")
    handler = getattr(server() if callable(server) else server, "handler", None)
    table = getattr(handler, "_handlers", None)
    if isinstance(table, dict):
        table["ConfigureProvider"] = configure_provider


def get_client() -> SevallaClient:
    provider = hub.get_component("singleton", "provider")
    client = getattr(provider, "client", None)
    if client is None:
        error = ResourceError(
            "The provider has no API client yet: its configuration was not applied "
            "(a value in the provider block may be unknown until apply)."
        )
        error.add_context("terraform.summary", "Provider not configured")
        raise error
    return client
