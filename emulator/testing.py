"""In-process harness: the emulator on a free loopback port inside the test's own event loop.

Faster than `EmulatorProcess` and lets a test inject a `FakeClock`; still real HTTP over loopback.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from aiohttp import web

from emulator.app import create_app
from emulator.clock import Clock
from emulator.settings import EmulatorSettings


class FakeClock:
    """A clock the test moves by hand; starts at the real time so timestamps look normal."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class InProcessEmulator:
    """`await InProcessEmulator(settings).start()`; `api` is an authenticated client on /v3."""

    def __init__(self, settings: EmulatorSettings | None = None, *, clock: Clock = time.time) -> None:
        self.settings = settings or EmulatorSettings()
        self._clock = clock
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.api: httpx.AsyncClient = httpx.AsyncClient()
        self.control: httpx.AsyncClient = httpx.AsyncClient()

    @property
    def url(self) -> str:
        return self.base_url + "/v3"

    async def start(self) -> InProcessEmulator:
        self._runner = web.AppRunner(create_app(self.settings, clock=self._clock), access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        auth = {"Authorization": f"Bearer {self.settings.api_key}"}
        self.api = httpx.AsyncClient(base_url=self.url, headers=auth)
        self.control = httpx.AsyncClient(base_url=self.base_url)
        return self

    async def stop(self) -> None:
        """Close the clients and the server (and with it the SQLite file). Safe to call twice."""
        runner, self._runner = self._runner, None
        await self.api.aclose()
        await self.control.aclose()
        if runner is not None:
            await runner.cleanup()

    async def __aenter__(self) -> InProcessEmulator:
        return await self.start()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    async def stats(self) -> dict[str, Any]:
        return await self._get("/_emulator/stats")

    async def objects(self) -> dict[str, Any]:
        return await self._get("/_emulator/objects")

    async def faults(self) -> dict[str, Any]:
        return await self._control("GET", "/_emulator/faults")

    async def set_faults(self, **fields: Any) -> dict[str, Any]:
        """Replace the whole fault setting (fields not given go back to their defaults)."""
        return await self._control("PUT", "/_emulator/faults", fields)

    async def clear_faults(self) -> dict[str, Any]:
        return await self._control("DELETE", "/_emulator/faults")

    async def _get(self, path: str) -> dict[str, Any]:
        return await self._control("GET", path)

    async def _control(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.control.request(method, path, json=body)
        response.raise_for_status()
        result: dict[str, Any] = response.json()
        return result
