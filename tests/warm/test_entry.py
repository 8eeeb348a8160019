"""The provider entry: the prompt exit replaces pyvider's slow Shutdown path, and only that."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest
import pyvider
from pyvider.rpcplugin.protocol import service

from provider import pyvider_patches
from provider.pyvider_patches import ORIGINAL
from tests.provider.test_pyvider_patches import FakeContext, FakeStdio
from warm import entry


class FakeTimer:
    started: list[float] = []

    def __init__(self, seconds: float, function: Any) -> None:
        self.seconds = seconds
        self.daemon = False

    def start(self) -> None:
        assert self.daemon
        FakeTimer.started.append(self.seconds)


def test_shutdown_winds_down_once_the_answer_is_sent(monkeypatch: Any) -> None:
    shutdown = service.GRPCControllerService.Shutdown
    monkeypatch.setattr(service.GRPCControllerService, "Shutdown", getattr(shutdown, ORIGINAL, shutdown))
    entry.install_prompt_exit()
    entry.install_prompt_exit()  # idempotent
    wound_down: list[bool] = []

    async def fake_wind_down() -> None:
        wound_down.append(True)

    monkeypatch.setattr(entry, "wind_down", fake_wind_down)
    monkeypatch.setattr(entry.threading, "Timer", FakeTimer)
    FakeTimer.started.clear()

    async def call() -> Any:
        controller = service.GRPCControllerService(asyncio.Event(), FakeStdio())  # type: ignore[arg-type]
        context = FakeContext()
        answer = await controller.Shutdown(service.CEmpty(), context)
        assert controller._shutdown_event.is_set()
        assert controller._stdio_service.shut  # type: ignore[attr-defined]
        await asyncio.sleep(0.01)
        assert wound_down == []  # not before the answer is out
        for callback in context.callbacks:
            callback(None)
        await asyncio.sleep(0.01)
        return answer

    assert isinstance(asyncio.run(call()), service.CEmpty)
    assert wound_down == [True]
    assert FakeTimer.started == [entry.WIND_DOWN_SECONDS + 1.0]  # the backstop


def test_wind_down_lets_cancelled_tasks_clean_up_then_exits(monkeypatch: Any) -> None:
    exits: list[int] = []
    monkeypatch.setattr(entry, "exit_now", exits.append)
    cleaned: list[str] = []

    async def close_when_stopping() -> None:  # the provider's pattern (provider/provider.py)
        try:
            await asyncio.Event().wait()
        finally:
            await asyncio.sleep(0.01)
            cleaned.append("pool closed, metrics logged")

    async def main() -> None:
        asyncio.get_running_loop().create_task(close_when_stopping())
        await asyncio.sleep(0)
        await entry.wind_down()

    asyncio.run(main())
    assert cleaned == ["pool closed, metrics logged"]
    assert exits == [0]


def test_exit_now_flushes_and_leaves_with_the_code() -> None:
    code = "import sys, warm.entry; sys.stdout.write('buffered'); warm.entry.exit_now(5)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (5, "buffered")


def test_argv0_comes_from_the_launcher(monkeypatch: Any) -> None:
    seen: list[str] = []
    monkeypatch.setenv(entry.ARGV0_VARIABLE, "/mirror/terraform-provider-sevalla_v0.1.0")
    monkeypatch.setattr(entry, "install_prompt_exit", lambda: None)
    monkeypatch.setattr(sys, "argv", ["/venv/warm/entry.py"])
    import pyvider.cli.__main__ as pyvider_main

    monkeypatch.setattr(pyvider_main, "main", lambda: seen.append(sys.argv[0]))
    entry.main()
    assert seen == ["/mirror/terraform-provider-sevalla_v0.1.0"]
    assert entry.ARGV0_VARIABLE not in __import__("os").environ


def test_a_normal_start_goes_on_with_pyviders_exit_when_the_patch_does_not_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The prompt exit only makes the exit faster: an unsupported pyvider is reported, not fatal."""
    monkeypatch.setattr(pyvider, "__version__", "0.8.2")
    reported: list[Exception] = []
    monkeypatch.setattr(pyvider_patches, "report", reported.append)
    import pyvider.cli.__main__ as pyvider_main

    started: list[bool] = []
    monkeypatch.setattr(pyvider_main, "main", lambda: started.append(True))
    entry.main()
    assert started == [True]
    assert [type(error) for error in reported] == [pyvider_patches.PyviderChanged]
