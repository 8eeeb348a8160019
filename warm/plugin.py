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

    components: list[tuple[str, str, Any]] = [
        ("provider", "sevalla", SevallaProvider),
        ("capability", "sevalla", SevallaSettingsCapability),
        *(("resource", resource._registered_name, resource) for resource in RESOURCES),  # type: ignore[union-attr]
        *(("list_resource", listed._registered_name, listed) for listed in LIST_RESOURCES),  # type: ignore[attr-defined]
        *(("data_source", source._registered_name, source) for source in DATA_SOURCES),  # type: ignore[union-attr]
        *(("action", action._registered_name, action) for action in ACTIONS),  # type: ignore[attr-defined]
    ]
    if _holds(hub, components):
        return
    for kind, name, component in components:
        hub.register(kind, name, component)


def _holds(hub: Any, components: list[tuple[str, str, Any]]) -> bool:
    """The hub holds every one of these already: the warm server registered them before it forked
    (`warm.server.preload`), and registering ~120 components again costs each start ~8 ms (each
    registration emits an event). Checked one by one, so a hub that was cleared or holds
    something else is registered again."""
    try:
        return all(hub.get_component(kind, name) is component for kind, name, component in components)
    except Exception:  # a hub that cannot answer: register
        return False
