"""devtools.metrics: a metrics file summed per Terraform command."""

from __future__ import annotations

import json
from pathlib import Path

from devtools import metrics


def line(pid: str, command: str, stamp: str, calls: int, **more: object) -> dict:
    return {"terraform_pid": pid, "command": command, "timestamp": stamp, "api_calls_total": calls,
            "rpcs": {"GetProviderSchema": 1}, **more}  # fmt: skip


def test_the_processes_of_one_command_are_summed_in_the_order_commands_ran(tmp_path: Path) -> None:
    lines = [
        line("200", "apply", "2026-12-01T10:00:05Z", 7, api_calls_by_route={"POST application list": 1}),
        line("200", "plan", "2026-12-01T10:00:04.5Z", 1),  # the apply's plan process
        line("100", "other", "2026-12-01T10:00:00Z", 0),  # plan's validate process
        line("100", "plan", "2026-12-01T10:00:01Z", 3, api_calls_by_route={"GET application": 3}),
        line("200", "other", "2026-12-01T10:00:04Z", 0, cache_hits=2, rate_limit_wait_seconds=1.5),
    ]
    path = tmp_path / "metrics.jsonl"
    path.write_text("".join(json.dumps(item) + "\n" for item in lines))
    totals = metrics.by_command(metrics.read_lines(path))
    assert [(t.command, t.processes, t.counts["api_calls_total"]) for t in totals] == [
        ("plan", 2, 3),
        ("apply", 3, 8),
    ]
    assert totals[1].wait_seconds == 1.5 and totals[1].counts["cache_hits"] == 2
    text = metrics.table(totals)
    assert "GET application" in text and "POST application list" in text
    png = tmp_path / "metrics.png"
    assert metrics.main([str(path), "--png", str(png)]) == 0
    assert png.stat().st_size > 1000
