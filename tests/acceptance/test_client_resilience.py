"""The shared client under real Terraform, against an emulator with rate-limit tiers on and
injected faults: nothing fails, nothing is duplicated, state matches the server, no 429."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import attrs
import httpx
import pytest

from emulator.faults import Faults
from emulator.process import EmulatorProcess
from tests.acceptance.conftest import assert_emulator_empty
from tests.acceptance.terraform import Terraform

ENV_VARS = 30
CONFIG = f"""
data "sevalla_clusters" "all" {{}}

resource "sevalla_application" "app" {{
  display_name = "acc-flaky"
  cluster_id   = data.sevalla_clusters.all.clusters[0].id
  source       = "dockerImage"
  docker_image = "nginx:latest"
}}

resource "sevalla_application_environment_variable" "var" {{
  for_each       = {{ for i in range({ENV_VARS}) : "VAR_${{i}}" => "value-${{i}}" }}
  application_id = sevalla_application.app.id
  key            = each.key
  value          = each.value
}}
"""
FLAKY = Faults(error_5xx_percent=10, drop_percent=5, ambiguous_create_percent=5, ambiguous_mode="error")


@pytest.fixture
def flaky_emulator(tmp_path: Path) -> Iterator[EmulatorProcess]:
    # Tiers on; a 3-second "minute" (and 3-minute "hour") so pacing waits stay short.
    with EmulatorProcess(
        db_path=tmp_path / "flaky.db",
        api_key="flaky-key",
        rate_limits_enabled=True,
        rate_window_seconds=3,
        db_ready_delay_seconds=0.5,
        faults=FLAKY,
    ) as emulator:
        yield emulator


def server_env_vars(emulator: EmulatorProcess, app_id: str) -> list[dict]:
    response = httpx.get(
        f"{emulator.url}/applications/{app_id}/env-vars",
        params={"limit": 100},
        headers={"Authorization": f"Bearer {emulator.api_key}"},
    )
    response.raise_for_status()
    return response.json()["data"]


def test_thirty_env_vars_through_faults_and_tiers(
    tmp_path: Path, cli_config: Path, flaky_emulator: EmulatorProcess
) -> None:
    metrics = tmp_path / "metrics.jsonl"
    tf = Terraform(
        tmp_path / "tf",
        {
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "SEVALLA_API_URL": flaky_emulator.url,
            "SEVALLA_API_KEY": flaky_emulator.api_key,
            "SEVALLA_METRICS_FILE": str(metrics),
            "SEVALLA_DISK_CACHE_DIR": str(tmp_path / "disk-cache"),
            # About 20% of requests fail on purpose: allow more retries and a higher breaker threshold.
            "SEVALLA_RETRY_ATTEMPTS": "6",
            "SEVALLA_RETRY_DELAY": "100ms",
            "SEVALLA_BREAKER_THRESHOLD": "10",
        },
    )
    tf.write(CONFIG)
    tf.apply()
    assert tf.plan_exit_code() == 0

    state = tf.state()
    app_id = state["sevalla_application.app"]["id"]
    flaky_emulator.clear_faults()
    on_server = server_env_vars(flaky_emulator, app_id)
    assert flaky_emulator.objects()["applications"] == 1, "the application was created twice"
    assert len(on_server) == ENV_VARS, f"{len(on_server)} env vars on the server"
    assert not [key for key, n in Counter(v["key"] for v in on_server).items() if n > 1], (
        "duplicated env vars"
    )
    in_state = {
        v["key"]: (v["id"], v["value"])
        for a, v in state.items()
        if a.startswith("sevalla_application_environment_variable.")
    }
    assert in_state == {v["key"]: (v["id"], v["value"]) for v in on_server}

    flaky_emulator.set_faults(**attrs.asdict(FLAKY))
    tf.destroy()
    flaky_emulator.clear_faults()
    assert_emulator_empty(flaky_emulator)

    stats = flaky_emulator.stats()
    injected = sum(stats["faults"].values())
    assert injected > 0, "no fault was injected: the test proved nothing"
    assert stats["by_status"].get("429", 0) == 0, f"the client earned 429s: {stats['by_status']}"
    summaries = [json.loads(line) for line in metrics.read_text().splitlines()]
    assert sum(s["retries"] for s in summaries) > 0
    print(
        f"faults injected {stats['faults']}; client totals: retries {sum(s['retries'] for s in summaries)}, "
        f"creates reconciled {sum(s['creates_reconciled'] for s in summaries)}, "
        f"rate-limit waits {sum(s['rate_limit_waits'] for s in summaries)}"
    )
