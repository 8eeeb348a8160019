"""Where handlers find the configured client."""

from __future__ import annotations

from pyvider.exceptions import ResourceError
from pyvider.hub import hub

from provider.client import SevallaClient


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
