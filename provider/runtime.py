"""Where handlers find the configured client, and what Terraform told us about itself."""

from __future__ import annotations

from pyvider.exceptions import ResourceError
from pyvider.hub import hub

from provider.client import SevallaClient

_terraform_version = "unknown"


def terraform_version() -> str:
    return _terraform_version


def record_terraform_version(version: str) -> None:
    """What Terraform said its version is, in ConfigureProvider (for the User-Agent): the
    provider's configure() hook only receives the configuration, so the plugin's registration
    (`warm.plugin`) has pyvider's handler call this (`provider.pyvider_patches`)."""
    global _terraform_version
    _terraform_version = version or "unknown"


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
