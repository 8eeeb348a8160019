"""The 1-resource plan breakdown (bench/breakdown.py) reads Terraform's trace log right."""

from __future__ import annotations

import pytest

from bench.breakdown import median_starts, starts_of

PLUGIN = (
    ".terraform/providers/terraform.local/sevalla/sevalla/0.1.0/linux_amd64/terraform-provider-sevalla_v0.1.0"
)
LOG = f"""\
2026-12-01T18:21:26.704Z [DEBUG] provider: starting plugin: path={PLUGIN} args=[{PLUGIN}]
2026-12-01T18:21:26.704Z [DEBUG] provider: plugin started: path={PLUGIN} pid=1
2026-12-01T18:21:26.742Z [DEBUG] provider: using plugin: version=6
2026-12-01T18:21:26.751Z [TRACE] GRPCProvider.v6: GetProviderSchema
2026-12-01T18:21:26.776Z [TRACE] GRPCProvider.v6: Close
2026-12-01T18:21:26.785Z [INFO]  provider: plugin process exited: plugin={PLUGIN} id=1
2026-12-01T18:21:26.800Z [DEBUG] provider: starting plugin: path=.terraform/providers/registry.terraform.io/hashicorp/null
2026-12-01T18:21:26.856Z [DEBUG] provider: starting plugin: path={PLUGIN} args=[{PLUGIN}]
2026-12-01T18:21:26.896Z [DEBUG] provider: using plugin: version=6
2026-12-01T18:21:26.902Z [TRACE] GRPCProvider.v6: ValidateProviderConfig
2026-12-01T18:21:26.902Z [TRACE] GRPCProvider.v6: returning cached schema: EXTRA_VALUE_AT_END=terraform.local/sevalla/sevalla
2026-12-01T18:21:26.915Z [TRACE] GRPCProvider.v6: ReadResource
2026-12-01T18:21:26.936Z [TRACE] GRPCProvider.v6: Close
2026-12-01T18:21:26.945Z [INFO]  provider: plugin process exited: plugin={PLUGIN} id=2
"""


def test_each_start_is_split_into_its_phases() -> None:
    starts = starts_of(LOG)
    assert [[name for name, _ in start] for start in starts] == [
        ["exec → handshake", "(terraform)", "GetProviderSchema", "Close → exit"],
        ["exec → handshake", "(terraform)", "ValidateProviderConfig", "ReadResource", "Close → exit"],
    ]
    first, second = ([round(seconds * 1000) for _, seconds in start] for start in starts)
    assert first == [38, 9, 25, 9]
    assert second == [40, 6, 13, 21, 9]


def test_the_median_is_taken_per_phase_and_the_shapes_must_match() -> None:
    one = starts_of(LOG)
    slower = [[(name, seconds * 3) for name, seconds in start] for start in one]
    merged = median_starts([one, slower, one])
    assert merged == one
    with pytest.raises(SystemExit):
        median_starts([one, one[:1]])


def test_the_table_gives_the_ratio_users_see_against_its_target() -> None:
    from bench.breakdown import table

    result = {
        "starts": [[{"phase": "exec → handshake", "ms": 30.0}]],
        "provider_ms": 30.0,
        "plan_s": 0.3,
        "terraform_data_plan_s": 0.06,
        "ratio": 5.0,
        "rounds": 7,
        "untraced_plan_s": 0.2,
        "untraced_terraform_data_plan_s": 0.05,
        "untraced_ratio": 4.0,
    }
    lines = list(table(result))
    assert lines[-1] == "without the trace log: 200 ms vs 50 ms = 4.0x (target <= 3x: FAIL)"
    assert "with TF_LOG=trace" in lines[-2]
