"""Fault injection through the CLI flags and the `EmulatorProcess` helpers."""

from __future__ import annotations

import httpx
import pytest

from emulator.__main__ import parse_args
from emulator.faults import Faults
from emulator.process import EmulatorProcess, EmulatorStartError
from emulator.settings import EmulatorSettings


def test_cli_flags_set_the_initial_faults() -> None:
    args = parse_args(
        [
            "--fault-5xx-percent",
            "10",
            "--fault-429-percent",
            "20",
            "--fault-429-reset-seconds",
            "3",
            "--fault-drop-percent",
            "30",
            "--latency-ms",
            "40",
            "--latency-jitter-ms",
            "50",
            "--fault-ambiguous-create-percent",
            "60",
            "--fault-ambiguous-mode",
            "drop",
            "--fault-seed",
            "70",
        ]
    )
    assert args.faults == Faults(
        error_5xx_percent=10,
        rate_limit_percent=20,
        rate_limit_reset_seconds=3,
        drop_percent=30,
        latency_ms=40,
        latency_jitter_ms=50,
        ambiguous_create_percent=60,
        ambiguous_mode="drop",
        seed=70,
    )
    assert parse_args([]).faults == Faults()


@pytest.mark.parametrize(
    "argv",
    [
        ["--fault-5xx-percent", "101"],
        ["--fault-5xx-percent", "60", "--fault-drop-percent", "60"],
        ["--fault-ambiguous-mode", "maybe"],
        ["--latency-ms", "-1"],
    ],
)
def test_cli_rejects_bad_fault_flags(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse_args(argv)
    assert exit_info.value.code == 2


def test_process_starts_faulty_and_switches_at_run_time() -> None:
    faults = Faults(error_5xx_percent=100, seed=5)
    with EmulatorProcess(api_key="k", faults=faults) as emulator:
        auth = {"Authorization": "Bearer k"}
        assert emulator.faults() == faults.as_json()
        assert httpx.get(emulator.url + "/applications", headers=auth).status_code in {500, 502, 503}

        assert emulator.set_faults(rate_limit_percent=100)["error_5xx_percent"] == 0
        limited = httpx.get(emulator.url + "/applications", headers=auth)
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"

        emulator.set_faults(drop_percent=100)
        with pytest.raises(httpx.TransportError):
            httpx.get(emulator.url + "/applications", headers=auth)

        assert emulator.clear_faults() == Faults().as_json()
        assert httpx.get(emulator.url + "/applications", headers=auth).status_code == 200
        with pytest.raises(httpx.HTTPStatusError) as refused:
            emulator.set_faults(drop_percent=200)
        assert refused.value.response.status_code == 422
        assert emulator.stats()["faults"] == {
            "error_5xx": 1,
            "rate_limit": 1,
            "drop": 1,
            "ambiguous_create": 0,
            "targeted": 0,
        }


def test_process_from_settings_passes_the_faults() -> None:
    settings = EmulatorSettings(faults=Faults(latency_ms=25, ambiguous_mode="drop", seed=1))
    with EmulatorProcess.from_settings(settings) as emulator:
        assert emulator.faults() == settings.faults.as_json()


def test_bad_fault_flags_fail_the_start() -> None:
    emulator = EmulatorProcess()
    emulator._args += ["--fault-429-percent", "500"]
    with pytest.raises(EmulatorStartError, match="must be <= 100"):
        emulator.start()
