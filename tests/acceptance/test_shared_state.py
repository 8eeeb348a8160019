"""Concurrent `terraform plan`s sharing one rate-limit budget on a real Redis (issue 16).

The emulator runs its tiers with a short window; each plan reads the clusters list many times
(cache and batching off, so every data source is one GET, and a fast token bucket, so each
process could spend the whole read window alone). Without Redis the processes race for the
window and the emulator answers some 429s; with it, none. Then Redis is killed and brought back,
or flushed, while the plans run: they succeed, each process warning once at most.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.redis_server import RedisServer
from emulator.faults import Faults
from emulator.process import EmulatorProcess
from tests.acceptance.terraform import Terraform

PLANS = 3
READS = 160  # per plan: 3 x 160 = 480 > the emulator's 400 reads per window
WINDOW = 4.0  # seconds: the emulator's "minute"
CONFIG = f"""
data "sevalla_clusters" "all" {{
  count = {READS}
}}
"""


@pytest.fixture
def tiered_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    with EmulatorProcess(
        db_path=tmp_path / "tiers.db",
        api_key="shared-key",
        rate_limits_enabled=True,
        rate_window_seconds=WINDOW,
        faults=Faults(latency_ms=50),  # an API's answer time: requests in flight when a window is spent
    ) as emulator:
        yield emulator


def plans(tmp_path: Path, cli_config: Path, emulator: EmulatorProcess, **env: str) -> list[Terraform]:
    """PLANS working directories, initialised, with the provider settings of a CI fleet."""
    result = []
    for i in range(PLANS):
        tf = Terraform(
            tmp_path / f"plan-{i}",
            {
                "TF_CLI_CONFIG_FILE": str(cli_config),
                "SEVALLA_API_URL": emulator.url,
                "SEVALLA_API_KEY": emulator.api_key,
                "SEVALLA_CACHE_ENABLED": "false",
                "SEVALLA_BATCH_ENABLED": "false",
                "SEVALLA_RATE_LIMIT_PER_SECOND": "1000",
                "SEVALLA_RATE_LIMIT_BURST": "1000",
                "SEVALLA_MAX_OPEN_CONNS": "30",
                "TF_LOG_PROVIDER": "INFO",
                "TF_LOG_PATH": str(tmp_path / f"plan-{i}.log"),
                **env,
            },
        )
        tf.write(CONFIG)
        tf.init()
        result.append(tf)
    return result


def run_together(tfs: list[Terraform], during: float | None = None, action: object = None) -> list[float]:
    """Start every plan at once; `action()` runs `during` seconds in. Every plan must succeed;
    the seconds each took (runs progressing together finish together)."""
    started = time.monotonic()
    running = [tf.start("plan", "-input=false", "-no-color", "-parallelism=30") for tf in tfs]
    finished: dict[int, float] = {}
    timer = threading.Timer(during or 0.0, action)  # type: ignore[arg-type]
    if action is not None:
        timer.start()
    try:
        while len(finished) < len(running) and time.monotonic() - started < 120:
            for i, run in enumerate(running):
                if i not in finished and run.poll() is not None:
                    finished[i] = time.monotonic() - started
                    assert run.poll() == 0, run.output()[-3000:]
            time.sleep(0.05)
        assert len(finished) == len(running), "a plan took more than 120 s"
    finally:
        for run in running:
            run.close()
        if action is not None:
            timer.join()  # the next test finds Redis up
    return [finished[i] for i in range(len(running))]


def shown(seconds: list[float]) -> str:
    return ", ".join(f"{value:.1f}" for value in seconds) + " s"


def responses_429(emulator: EmulatorProcess) -> int:
    return int(emulator.stats()["by_status"].get("429", 0))


def fresh_window(emulator: EmulatorProcess) -> None:
    emulator.reset_stats()
    emulator.reset_rate_limits()


def shared_state_warnings(tfs: list[Terraform]) -> list[list[str]]:
    """The WARNING lines about the shared state in each plan's log (its one reading process)."""
    return [
        [
            line
            for line in Path(tf.env["TF_LOG_PATH"]).read_text().splitlines()
            if "[WARN]" in line and "shared state" in line
        ]
        for tf in tfs
    ]


def only_timeouts(tfs: list[Terraform]) -> bool:
    """No shared-state failure but, on this loaded 2-core machine, a call that outlived its timeout."""
    return all("TimeoutError" in line for lines in shared_state_warnings(tfs) for line in lines)


def test_concurrent_plans_earn_429s_without_redis_and_none_with_it(
    tmp_path: Path, cli_config: Path, tiered_emulator: EmulatorProcess, redis_server: RedisServer
) -> None:
    tfs = plans(tmp_path, cli_config, tiered_emulator)
    seconds_alone = run_together(tfs)
    without = responses_429(tiered_emulator)

    fresh_window(tiered_emulator)
    for tf in tfs:
        tf.env["SEVALLA_SHARED_STATE_URL"] = redis_server.url
    seconds_shared = run_together(tfs)
    with_redis = responses_429(tiered_emulator)
    print(
        f"429s without Redis: {without} (plans took {shown(seconds_alone)}); "
        f"with Redis: {with_redis} (plans took {shown(seconds_shared)})"
    )
    assert without > 0, "without Redis the processes race for the window"
    assert with_redis == 0
    # None starves: no plan waits more than one window beyond the first to finish (first come is
    # first served within a window; here each process's token bucket is opened to 1000/s).
    assert max(seconds_shared) - min(seconds_shared) < WINDOW + 1.5
    assert only_timeouts(tfs)


def test_redis_killed_and_restarted_mid_run(
    tmp_path: Path, cli_config: Path, tiered_emulator: EmulatorProcess, redis_server: RedisServer
) -> None:
    tfs = plans(tmp_path, cli_config, tiered_emulator, SEVALLA_SHARED_STATE_URL=redis_server.url)

    def outage() -> None:  # from the first reads to past the window's reset: every process sees it
        redis_server.stop()
        time.sleep(WINDOW)
        redis_server.start()

    run_together(tfs, during=1.0, action=outage)
    warnings = [len(lines) for lines in shared_state_warnings(tfs)]
    assert max(warnings) == 1, f"one WARNING per process that saw the outage: {warnings}"


def test_redis_flushed_mid_run(
    tmp_path: Path, cli_config: Path, tiered_emulator: EmulatorProcess, redis_server: RedisServer
) -> None:
    tfs = plans(tmp_path, cli_config, tiered_emulator, SEVALLA_SHARED_STATE_URL=redis_server.url)
    run_together(tfs, during=1.5, action=lambda: redis_server.client().flushall())
    assert only_timeouts(tfs), "a flush is a fresh window, not a failure"
