"""The plugin: what pyvider's discovery imports (pyproject.toml, `[project.entry-points."pyvider"]`).

pyvider imports the entry point's module and, when it has a `register_components(hub)`, calls
that instead of walking every submodule for decorated classes (its fast path). This registers
the provider, its settings capability, every resource, list resource, data source and action,
and installs the pyvider patches the components rely on (Terraform's version, for the
User-Agent) and the ones that only make RPCs cheaper (`pyvider_patches.SPEED_PATCHES`).

Why here: registration is the one place that must import all three layers -- `provider` (the
bottom), `resources` and `data_sources` (above it) -- so it belongs above them all, and `warm/`
is that layer: the provider process (`warm.entry`, which every start but `SEVALLA_PROVIDER_WARM=0`
runs, and whose preload already imports all three), not a component layer. Inside `provider/` it
would be an upward import; inside `resources/` a sideways one into `data_sources`. Every start
imports this module, also the stock one: `warm/__init__.py` is only a docstring.
"""

from __future__ import annotations

from typing import Any


def register_components(hub: Any) -> None:
    """Explicit registration (pyvider's fast path): import only what this provider serves."""
    from data_sources import DATA_SOURCES
    from provider import pyvider_patches
    from provider.provider import SevallaProvider, SevallaSettingsCapability
    from provider.runtime import record_terraform_version
    from resources import LIST_RESOURCES, RESOURCES
    from resources.actions import ACTIONS

    try:
        pyvider_patches.capture_terraform_version(record_terraform_version)
    except pyvider_patches.PyviderChanged as error:  # the User-Agent says terraform/unknown
        pyvider_patches.report(error)
    pyvider_patches.install_speed_patches()

    hub.register("provider", "sevalla", SevallaProvider)
    hub.register("capability", "sevalla", SevallaSettingsCapability)
    for resource in RESOURCES:
        hub.register("resource", resource._registered_name, resource)  # type: ignore[union-attr]
    for list_resource in LIST_RESOURCES:
        hub.register("list_resource", list_resource._registered_name, list_resource)  # type: ignore[attr-defined]
    for data_source in DATA_SOURCES:
        hub.register("data_source", data_source._registered_name, data_source)  # type: ignore[union-attr]
    for action in ACTIONS:
        hub.register("action", action._registered_name, action)  # type: ignore[attr-defined]
