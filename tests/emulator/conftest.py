"""Fixtures: real emulator servers on free loopback ports, driven with httpx.AsyncClient.

Shared values come from `emulator.catalog` / `emulator.testing`, never from importing this file
(another conftest.py elsewhere in tests/ would shadow it).
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from emulator.catalog import CLUSTERS
from emulator.clock import Clock
from emulator.settings import EmulatorSettings
from emulator.testing import InProcessEmulator

TEST_KEY = "test-key"


def emulator_settings(**overrides: Any) -> EmulatorSettings:
    values: dict[str, Any] = {"api_key": TEST_KEY, "db_ready_delay_seconds": 0.2}
    values.update(overrides)
    return EmulatorSettings(**values)


@pytest.fixture
async def start_emulator() -> AsyncIterator[Callable[..., Awaitable[InProcessEmulator]]]:
    """`await start_emulator(**settings_overrides, clock=...)`; everything started is stopped after."""
    started: list[InProcessEmulator] = []

    async def start(clock: Clock = time.time, **overrides: Any) -> InProcessEmulator:
        emulator = InProcessEmulator(emulator_settings(**overrides), clock=clock)
        started.append(emulator)
        return await emulator.start()

    yield start
    for emulator in reversed(started):
        await emulator.stop()


@pytest.fixture
async def emulator(start_emulator: Callable[..., Awaitable[InProcessEmulator]]) -> InProcessEmulator:
    """Rate limits on, as by default."""
    return await start_emulator()


@pytest.fixture
async def unlimited(start_emulator: Callable[..., Awaitable[InProcessEmulator]]) -> InProcessEmulator:
    """Rate limits off, for tests that create many objects."""
    return await start_emulator(rate_limits_enabled=False)


@pytest.fixture
def new_app() -> Callable[..., Awaitable[dict[str, Any]]]:
    """`await new_app(emulator, **fields)`: create an application, assert 201, return its body."""

    async def create(emulator: InProcessEmulator, **fields: Any) -> dict[str, Any]:
        body = {"display_name": "My App", "cluster_id": CLUSTERS[0]["id"], "source": "publicGit", **fields}
        response = await emulator.api.post("/applications", json=body)
        assert response.status_code == 201, response.text
        result: dict[str, Any] = response.json()
        return result

    return create
