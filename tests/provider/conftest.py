"""Fixtures shared by the tests of provider/."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from pyvider.hub import hub


@pytest.fixture(scope="module")
def provider_registered() -> Iterator[None]:
    """The components and a provider in pyvider's hub, as a provider start has them."""
    from provider.provider import SevallaProvider
    from warm.plugin import register_components

    register_components(hub)
    provider = SevallaProvider()
    asyncio.run(provider.setup())
    previous = hub.get_component("singleton", "provider")
    hub.register("singleton", "provider", provider)
    yield
    if previous is None:
        hub.unregister("singleton", "provider")
    else:
        hub.register("singleton", "provider", previous)
