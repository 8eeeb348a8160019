"""The plugin's registration (warm/plugin.py): pyvider's entry point, and what it registers."""

from __future__ import annotations

import importlib.metadata
import tomllib
from pathlib import Path

import pytest
import pyvider
from pyvider.hub.components import ComponentRegistry
from pyvider.protocols.tfprotov6 import handlers
from pyvider.protocols.tfprotov6.handlers import configure_provider as configure_module

from data_sources import DATA_SOURCES
from provider import pyvider_patches
from provider.provider import SevallaProvider, SevallaSettingsCapability
from resources import RESOURCES
from resources.actions import ACTIONS
from warm import plugin

ROOT = Path(__file__).resolve().parents[2]


def test_pyvider_finds_the_registration_through_the_entry_point() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]["pyvider"]
    assert declared == {"sevalla": "warm.plugin"}
    installed = {entry.name: entry.value for entry in importlib.metadata.entry_points(group="pyvider")}
    assert installed == declared  # else reinstall: `make .venv/.installed`
    assert callable(plugin.register_components)


@pytest.fixture
def unpatched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handlers, "ConfigureProviderHandler", configure_module.ConfigureProviderHandler)


def test_everything_is_registered_and_the_configure_wrap_installed(unpatched: None) -> None:
    registry = ComponentRegistry()
    plugin.register_components(registry)
    assert registry.get_components("provider") == {"sevalla": SevallaProvider}
    assert registry.get_components("capability") == {"sevalla": SevallaSettingsCapability}
    assert list(registry.get_components("resource").values()) == list(RESOURCES)
    assert list(registry.get_components("data_source").values()) == list(DATA_SOURCES)
    assert list(registry.get_components("action").values()) == list(ACTIONS)
    assert handlers.ConfigureProviderHandler is not configure_module.ConfigureProviderHandler


def test_registration_goes_on_without_the_wrap_when_it_does_not_fit(
    unpatched: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The wrap only adds Terraform's version to the User-Agent: reported, not fatal."""
    monkeypatch.setattr(pyvider, "__version__", "0.8.2")
    monkeypatch.setattr(pyvider_patches, "_speed_patches_installed", True)  # reported on their own
    reported: list[Exception] = []
    monkeypatch.setattr(pyvider_patches, "report", reported.append)
    registry = ComponentRegistry()
    plugin.register_components(registry)
    assert len(registry.get_components("resource")) == len(RESOURCES)
    assert [type(error) for error in reported] == [pyvider_patches.PyviderChanged]
    assert handlers.ConfigureProviderHandler is configure_module.ConfigureProviderHandler


class CountingRegistry(ComponentRegistry):
    registered = 0

    def register(self, *args: object, **kwargs: object) -> None:  # type: ignore[override]
        self.registered += 1
        super().register(*args, **kwargs)


def test_a_hub_that_holds_everything_is_not_registered_again(unpatched: None) -> None:
    """The warm server registers before it forks; each child's discovery then finds it done."""
    registry = CountingRegistry()
    plugin.register_components(registry)
    first = registry.registered
    assert first > len(RESOURCES)
    plugin.register_components(registry)
    assert registry.registered == first


def test_a_hub_missing_anything_is_registered_again(unpatched: None) -> None:
    registry = CountingRegistry()
    plugin.register_components(registry)
    first = registry.registered
    registry.unregister("resource", RESOURCES[-1]._registered_name)  # type: ignore[union-attr]
    plugin.register_components(registry)
    assert registry.registered == 2 * first
    assert list(registry.get_components("resource").values())[-1] is RESOURCES[-1]
