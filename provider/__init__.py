"""terraform-provider-sevalla: a pyvider provider for the Sevalla PaaS."""

from __future__ import annotations

from typing import Any


def register_components(hub: Any) -> None:
    """Explicit registration (pyvider's fast path): import only what this provider serves."""
    from data_sources import DATA_SOURCES
    from provider.provider import SevallaProvider, SevallaSettingsCapability
    from provider.runtime import capture_terraform_version
    from resources import RESOURCES

    capture_terraform_version()

    hub.register("provider", "sevalla", SevallaProvider)
    hub.register("capability", "sevalla", SevallaSettingsCapability)
    for resource in RESOURCES:
        hub.register("resource", resource._registered_name, resource)  # type: ignore[union-attr]
    for data_source in DATA_SOURCES:
        hub.register("data_source", data_source._registered_name, data_source)  # type: ignore[union-attr]
