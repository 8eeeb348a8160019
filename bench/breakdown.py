"""`make bench-breakdown`: where the time of a one-resource `terraform plan` goes, per provider start.

One `sevalla_application` (the configuration of `bench.terraform_runs`) is applied against the
emulator, then planned `--rounds` times with `TF_LOG=trace` (and as often without it, for the
ratio users see), next to the same number of `terraform_data`-only plans. Terraform's own trace log times each provider start from outside:

  exec → handshake   "starting plugin" → "using plugin" (fork or exec, imports, TLS, gRPC serve)
  <RPC>              from Terraform's "GRPCProvider.v6: <RPC>" line to its next line about this
                     provider (the RPC's round trip, and what Terraform does right after it)
  Close → exit       "GRPCProvider.v6: Close" → "plugin process exited"

Reported: each start's phases (median over the rounds, in the order Terraform made them), their
sum, the whole plan, the `terraform_data` plan and the ratio. Trace logging costs Terraform time
of its own, so the ratio here is above the one `make bench-startup` measures without it; the
phases are what to compare. Uses the real `terraform` on PATH when there is one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bench.startup import DirectoryServers
from bench.terraform_runs import SEVALLA_CONFIG, TERRAFORM_DATA_CONFIG, terraform_run
from devtools.install import install_private
from devtools.terraform import terraform_command
from emulator.process import EmulatorProcess

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
API_KEY = "bench-key"
LINE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3})\S*\s+\[(\w+)\]\s+(.*)$")
RPC = re.compile(r"GRPCProvider\.v6: (\w+)$")


def timestamp(text: str) -> float:
    return time.mktime(time.strptime(text[:19], "%Y-%m-%dT%H:%M:%S")) + int(text[20:23]) / 1000


def starts_of(log: str) -> list[list[tuple[str, float]]]:
    """Each provider start's phases as [(name, seconds)], from a Terraform trace log."""
    starts: list[list[tuple[str, float]]] = []
    current: list[tuple[str, float]] | None = None
    pending: tuple[str, float] | None = None  # the phase that the next event ends
    for raw in log.splitlines():
        match = LINE.match(raw)
        if match is None:
            continue
        at, message = timestamp(match.group(1)), match.group(3)
        if "provider: starting plugin" in message and "sevalla" in message:
            current, pending = [], ("exec → handshake", at)
            starts.append(current)
            continue
        if current is None or pending is None:
            continue
        rpc = RPC.search(message)
        ended = (
            "provider: using plugin" in message
            or rpc is not None
            or ("plugin process exited" in message and "sevalla" in message)
        )
        if not ended:
            continue
        current.append((pending[0], at - pending[1]))
        if rpc is not None:
            name = rpc.group(1)
            pending = ("Close → exit" if name == "Close" else name, at)
        elif "plugin process exited" in message:
            current, pending = None, None
        else:  # using plugin: the handshake ended; Terraform's first RPC follows
            pending = ("(terraform)", at)
    return [start for start in starts if start]


def median_starts(rounds: list[list[list[tuple[str, float]]]]) -> list[list[tuple[str, float]]]:
    """Per start position and phase, the median over the rounds (the rounds' starts must match)."""
    shapes = {tuple(tuple(name for name, _ in start) for start in starts) for starts in rounds}
    if len(shapes) != 1:
        raise SystemExit(f"the rounds started the provider differently: {shapes}")
    merged = []
    for position, start in enumerate(rounds[0]):
        merged.append([
            (name, statistics.median(starts[position][index][1] for starts in rounds))
            for index, (name, _) in enumerate(start)
        ])  # fmt: skip
    return merged


def run(workdir: Path, env: dict[str, str], *args: str) -> tuple[float, str]:
    """Wall time and Terraform's log (stderr)."""
    seconds, result = terraform_run(workdir, env, *args, ok=(0,))
    return seconds, result.stderr


def measure(rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-breakdown-") as scratch:
        root = Path(scratch)
        cli_config = install_private(root / "mirror", root / "terraformrc")
        warm = root / "warm"
        with EmulatorProcess(
            db_path=root / "emulator.db", api_key=API_KEY, rate_limits_enabled=False
        ) as emulator:
            env = {
                **os.environ,
                "TF_CLI_CONFIG_FILE": str(cli_config),
                "TF_IN_AUTOMATION": "1",
                "CHECKPOINT_DISABLE": "1",
                "SEVALLA_API_URL": emulator.url,
                "SEVALLA_API_KEY": API_KEY,
                "SEVALLA_PROVIDER_WARM_DIR": str(warm),
            }
            workdirs = {}
            for name, config in (("sevalla", SEVALLA_CONFIG), ("terraform_data", TERRAFORM_DATA_CONFIG)):
                workdirs[name] = root / name
                workdirs[name].mkdir()
                (workdirs[name] / "main.tf").write_text(config)
                run(workdirs[name], env, "init", "-input=false")
                run(workdirs[name], env, "apply", "-auto-approve", "-input=false")
                run(workdirs[name], env, "plan", "-input=false")  # untimed: the warm server is up
            traced = {**env, "TF_LOG": "trace"}
            plans: dict[str, list[float]] = {"sevalla": [], "terraform_data": []}
            untraced: dict[str, list[float]] = {"sevalla": [], "terraform_data": []}
            logs = []
            for round_number in range(rounds):
                order = ["sevalla", "terraform_data"][:: 1 if round_number % 2 == 0 else -1]
                for name in order:
                    seconds, log = run(workdirs[name], traced, "plan", "-input=false", "-no-color")
                    plans[name].append(seconds)
                    if name == "sevalla":
                        logs.append(starts_of(log))
                for name in order:  # what users see: the same plans without the trace log
                    seconds, _ = run(workdirs[name], env, "plan", "-input=false", "-no-color")
                    untraced[name].append(seconds)
            run(workdirs["sevalla"], env, "destroy", "-auto-approve", "-input=false")
            DirectoryServers(warm).stop()
    starts = median_starts(logs)
    sevalla, builtin = statistics.median(plans["sevalla"]), statistics.median(plans["terraform_data"])
    return {
        "terraform": " ".join(terraform_command()),
        "rounds": rounds,
        "starts": [
            [{"phase": name, "ms": round(seconds * 1000, 1)} for name, seconds in start] for start in starts
        ],
        "provider_ms": round(sum(seconds for start in starts for _, seconds in start) * 1000, 1),
        "plan_s": round(sevalla, 3),
        "terraform_data_plan_s": round(builtin, 3),
        "ratio": round(sevalla / builtin, 2),
        "untraced_plan_s": round(statistics.median(untraced["sevalla"]), 3),
        "untraced_terraform_data_plan_s": round(statistics.median(untraced["terraform_data"]), 3),
        "untraced_ratio": round(
            statistics.median(untraced["sevalla"]) / statistics.median(untraced["terraform_data"]), 2
        ),
    }


def table(result: dict[str, Any]) -> Iterable[str]:
    for number, start in enumerate(result["starts"], 1):
        total = sum(phase["ms"] for phase in start)
        phases = ", ".join(f"{phase['phase']} {phase['ms']:.0f}" for phase in start)
        yield f"start {number}: {total:5.0f} ms  ({phases})"
    yield (
        f"provider starts: {result['provider_ms']:.0f} ms of a {result['plan_s'] * 1000:.0f} ms plan; "
        f"terraform_data plan {result['terraform_data_plan_s'] * 1000:.0f} ms; ratio {result['ratio']}x "
        f"(with TF_LOG=trace; median of {result['rounds']})"
    )
    if "untraced_ratio" in result:
        yield (
            f"without the trace log: {result['untraced_plan_s'] * 1000:.0f} ms vs "
            f"{result['untraced_terraform_data_plan_s'] * 1000:.0f} ms = {result['untraced_ratio']}x "
            f"(target <= 3x: {'PASS' if result['untraced_ratio'] <= 3 else 'FAIL'})"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    result = measure(args.rounds)
    print(f"terraform: {result['terraform']}")
    for line in table(result):
        print(line)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "breakdown.json").write_text(json.dumps(result, indent=2))
    print(f"wrote {args.out / 'breakdown.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
