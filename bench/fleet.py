"""`make bench-fleet`: 20 concurrent `terraform plan`s sharing one company's budget, with and
without a shared state in Redis (issue 16).

One emulator with its rate-limit tiers on, the real 60 s window and 50 ms per answer; every plan
starts at the same moment with the provider's defaults, each with its own empty disk cache (a CI
runner of its own). Two scenarios:
  (a) different   20 workspaces of N = 100 resources each, one company
  (b) same        20 runs of one workspace of N = 100 (pull-request pipelines planning one environment)
each run twice: without Redis, and with `SEVALLA_SHARED_STATE_URL` pointing at a real
`redis-server` started on a free loopback port (emptied first).

Setup, once: the workspaces are applied against an emulator without tiers or latency (four at a
time), then the emulator restarts on the same database with its tiers on. The setup is kept in
build/bench-fleet/ and reused while the configuration is unchanged (`--fresh` redoes it).

Reported per scenario and mode: runs that succeeded, 429s the emulator answered, API calls, total
wall time (first start to last end), each run's wall time (median, fastest, slowest), the
provider's rate-limit waits, GETs answered from Redis, the keys and memory Redis held at the end,
the CPU seconds the machine was busy (/proc/stat: Terraform, the providers, the emulator, Redis and
anything else on it; divided by the cores, the wall time no API budget can save), and the lower
bound: the reads no client can avoid (bench.refresh's `Mix.lower_bound`, cold; in (b) the same
reads serve every run when they are shared) at 400 per minute. Targets with Redis: 0 429s in both
scenarios; total wall time <= 1.2x the lower bound; in (b) API calls <= 1/5 of those without Redis.
Output: tables on stdout, bench/results/fleet.{json,png}. Exit status 0 either way: targets are
reported, not asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.refresh import (
    API_KEY,
    LATENCY_MS,
    WINDOW,
    Mix,
    configuration,
    provider_metrics,
    run_terraform,
    tiered_emulator,
)
from bench.report import column_table, save_figure
from devtools.install import install_private
from devtools.redis_server import RedisServer, free_port
from devtools.terraform import terraform_command
from emulator.process import EmulatorProcess

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench-fleet"
RESULTS = ROOT / "bench" / "results"
RUNS = 20
N = 100
READS_PER_MINUTE = 400
SETUP_AT_ONCE = 4
TARGET_BOUND_RATIO = 1.2
TARGET_CALLS_FACTOR = 5
SCENARIOS = {
    "(a) different": "20 workspaces of N=100 each, one company",
    "(b) same": "20 runs of one workspace of N=100",
}


def terraform_env(cli_config: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "SEVALLA_API_KEY": API_KEY,
        **extra,
    }


def setup(cli_config: Path, fresh: bool) -> tuple[list[Path], list[Path], int]:
    """The workspaces of (a) and the copies of (b), applied; the emulator's port."""
    mix = Mix.of_size(N)
    texts = [configuration(mix, name=f"fleet{i:02d}") for i in range(RUNS)]
    digest = hashlib.sha256("\0".join(texts).encode()).hexdigest()
    marker = WORK / "setup.json"
    different = [WORK / "different" / f"ws-{i:02d}" for i in range(RUNS)]
    same = [WORK / "same" / f"run-{i:02d}" for i in range(RUNS)]
    if not fresh and marker.exists() and json.loads(marker.read_text()).get("digest") == digest:
        print("setup: reusing build/bench-fleet (same configuration)", flush=True)
        return different, same, int(json.loads(marker.read_text())["port"])
    for path in (WORK / "different", WORK / "same", WORK / "emulator.db"):
        shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
    port = free_port()
    started = time.monotonic()
    print(
        f"setup: applying {RUNS} workspaces of {mix.total} resources ({SETUP_AT_ONCE} at a time)...",
        flush=True,
    )
    with EmulatorProcess(
        db_path=WORK / "emulator.db",
        api_key=API_KEY,
        rate_limits_enabled=False,
        db_ready_delay_seconds=0,
        port=port,
    ) as emulator:
        env = terraform_env(
            cli_config,
            SEVALLA_API_URL=emulator.url,
            SEVALLA_RATE_LIMIT_ENABLED="false",
            SEVALLA_DISK_CACHE_DIR=str(WORK / "setup-disk-cache"),
        )
        for workdir, text in zip(different, texts, strict=True):
            workdir.mkdir(parents=True)
            (workdir / "main.tf").write_text(text)
            run_terraform(workdir, env, "init", "-input=false")
        for first in range(0, RUNS, SETUP_AT_ONCE):
            batch = different[first : first + SETUP_AT_ONCE]
            apply = ["apply", "-auto-approve", "-input=false", "-parallelism=10"]
            for code, _ in together(batch, lambda _: env, apply):
                if code != 0:
                    raise SystemExit(
                        f"setup apply failed (exit {code}); see build/bench-fleet/*/terraform.log"
                    )
    for copy in same:
        shutil.copytree(different[0], copy, symlinks=True)
    marker.write_text(json.dumps({"digest": digest, "port": port}))
    print(f"setup: done in {time.monotonic() - started:.0f}s", flush=True)
    return different, same, port


def busy_cpu_seconds() -> float:
    """CPU seconds the whole machine spent busy so far (/proc/stat: everything but idle and
    iowait): Terraform, the providers and their warm server, the emulator, Redis, and whatever
    else shares the machine."""
    fields = [int(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]
    return busy / os.sysconf("SC_CLK_TCK")


def together(
    workdirs: list[Path], env_of: Callable[[int], dict[str, str]], args: list[str]
) -> list[tuple[int, float]]:
    """Start `terraform <args>` in every workdir at once; each one's exit code and wall seconds.
    Output goes to <workdir>/terraform.log (no pipes to fill)."""
    running = []
    for index, workdir in enumerate(workdirs):
        log = (workdir / "terraform.log").open("w")
        process = subprocess.Popen(
            [*terraform_command(), *args],
            cwd=workdir,
            env=env_of(index),
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        running.append((process, log, time.monotonic()))
    results = []
    for process, log, started in running:
        code = process.wait()
        results.append((code, time.monotonic() - started))
        log.close()
    return results


def measure(
    scenario: str,
    workdirs: list[Path],
    emulator: EmulatorProcess,
    cli_config: Path,
    redis: RedisServer | None,
) -> dict[str, Any]:
    mode = "with Redis" if redis is not None else "without Redis"
    print(f"{scenario}, {mode}: {RUNS} plans at once...", flush=True)
    label = f"{scenario.split()[0].strip('()')}-{'redis' if redis else 'alone'}"
    runs_dir = WORK / "runs" / label
    shutil.rmtree(runs_dir, ignore_errors=True)
    runs_dir.mkdir(parents=True)
    if redis is not None:
        redis.client().flushall()
    emulator.reset_stats()
    emulator.reset_rate_limits()

    def env_of(index: int) -> dict[str, str]:
        extra = {
            "SEVALLA_API_URL": emulator.url,
            "SEVALLA_METRICS_FILE": str(runs_dir / f"metrics-{index:02d}.jsonl"),
            "SEVALLA_DISK_CACHE_DIR": str(runs_dir / f"disk-cache-{index:02d}"),  # a runner of its own
        }
        if redis is not None:
            extra["SEVALLA_SHARED_STATE_URL"] = redis.url
        return terraform_env(cli_config, **extra)

    cpu = -busy_cpu_seconds()
    started = time.monotonic()
    results = together(workdirs, env_of, ["plan", "-input=false", "-no-color", "-detailed-exitcode"])
    total = time.monotonic() - started
    cpu += busy_cpu_seconds()
    stats = emulator.stats()
    held = redis.client() if redis is not None else None
    redis_keys = held.dbsize() if held is not None else "-"
    redis_mib = round(int(held.info("memory")["used_memory"]) / 2**20, 1) if held is not None else "-"
    processes = [
        line for index in range(RUNS) for line in provider_metrics(runs_dir / f"metrics-{index:02d}.jsonl")
    ]
    seconds = [wall for _, wall in results]
    mix = Mix.of_size(N)
    unavoidable = mix.lower_bound(False) * (RUNS if scenario.startswith("(a)") else 1)
    row = {
        "scenario": scenario,
        "mode": mode,
        "runs_ok": sum(code in (0, 2) for code, _ in results),
        "runs_with_changes": sum(code == 2 for code, _ in results),
        "responses_429": stats["by_status"].get("429", 0),
        "api_calls": stats["total"],
        "total_wall_s": round(total, 1),
        "median_run_s": round(statistics.median(seconds), 1),
        "fastest_run_s": round(min(seconds), 1),
        "slowest_run_s": round(max(seconds), 1),
        "run_seconds": [round(value, 1) for value in seconds],
        "rate_limit_wait_s": round(sum(p.get("rate_limit_wait_seconds", 0) for p in processes), 1),
        "shared_cache_hits": sum(p.get("shared_cache_hits", 0) for p in processes),
        "shared_state_failures": sum(p.get("shared_state_failures", 0) for p in processes),
        "cpu_s": round(cpu, 1),
        "redis_keys": redis_keys,
        "redis_used_mib": redis_mib,
        "unavoidable_reads": unavoidable,
        "lower_bound_s": round(unavoidable / READS_PER_MINUTE * 60, 1),
        "cores": os.cpu_count(),
    }
    print(f"  {row['api_calls']} calls, {row['responses_429']} 429s, {total:.1f}s", flush=True)
    return row


COLUMNS = [
    ("mode", "mode"), ("runs_ok", "ok"), ("responses_429", "429s"), ("api_calls", "API calls"),
    ("total_wall_s", "total s"), ("median_run_s", "run median s"), ("fastest_run_s", "fastest s"),
    ("slowest_run_s", "slowest s"), ("rate_limit_wait_s", "waited s"), ("shared_cache_hits", "Redis hits"),
    ("cpu_s", "busy CPU s"), ("redis_keys", "Redis keys"), ("redis_used_mib", "Redis MiB"),
    ("lower_bound_s", "lower bound s"),
]  # fmt: skip


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for scenario in SCENARIOS:
        shared = next((r for r in rows if r["scenario"] == scenario and r["mode"] == "with Redis"), None)
        alone = next((r for r in rows if r["scenario"] == scenario and r["mode"] == "without Redis"), None)
        if shared is None:
            continue
        ok = shared["responses_429"] == 0 and shared["runs_ok"] == RUNS
        out.append(
            f"{'PASS' if ok else 'FAIL'}  {scenario}: {shared['responses_429']} 429s with Redis, "
            f"{shared['runs_ok']}/{RUNS} runs succeeded (target: 0, all)"
        )
        ratio = shared["total_wall_s"] / shared["lower_bound_s"]
        floor = shared["cpu_s"] / (shared["cores"] or 1)
        out.append(
            f"{'PASS' if ratio <= TARGET_BOUND_RATIO else 'FAIL'}  {scenario}: total "
            f"{shared['total_wall_s']}s = {ratio:.2f}x the lower bound {shared['lower_bound_s']}s "
            f"(target <= {TARGET_BOUND_RATIO}x; the machine was busy {shared['cpu_s']} CPU s on "
            f"{shared['cores']} cores: {floor:.0f}s of wall)"
        )
        if scenario.startswith("(b)") and alone is not None:
            factor = alone["api_calls"] / max(shared["api_calls"], 1)
            out.append(
                f"{'PASS' if factor >= TARGET_CALLS_FACTOR else 'FAIL'}  {scenario}: "
                f"{shared['api_calls']} API calls with Redis, {alone['api_calls']} without = "
                f"1/{factor:.1f} (target <= 1/{TARGET_CALLS_FACTOR})"
            )
    return out


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    labels = [f"{r['scenario'].split()[0]} {r['mode']}" for r in rows]
    colors = ["tab:red" if r["mode"] == "without Redis" else "tab:green" for r in rows]
    axes[0].bar(labels, [r["api_calls"] for r in rows], color=colors)
    axes[0].set_title("API calls (20 plans)")
    axes[1].bar(labels, [r["responses_429"] for r in rows], color=colors)
    axes[1].set_title("429s answered by the API")
    axes[2].boxplot([r["run_seconds"] for r in rows], tick_labels=labels)
    for index, r in enumerate(rows, start=1):
        axes[2].plot([index - 0.4, index + 0.4], [r["lower_bound_s"]] * 2, "k--")
        axes[2].plot([index], [r["total_wall_s"]], "kx")
    axes[2].set_title("each plan's wall time (s); x total, -- lower bound")
    for ax in axes:
        ax.tick_params(axis="x", labelrotation=20)
        ax.grid(True, axis="y", alpha=0.3)
    fig.suptitle(
        f"{RUNS} concurrent terraform plans, one emulator (tiers on, {WINDOW:.0f} s window, {LATENCY_MS} ms)"
    )
    save_figure(fig, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fresh", action="store_true", help="apply the workspaces again")
    parser.add_argument("--scenarios", default="a,b", help="which scenarios: a, b or a,b")
    args = parser.parse_args(argv)
    WORK.mkdir(parents=True, exist_ok=True)
    terraform = terraform_command()
    version = subprocess.run([*terraform, "version"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"terraform: {' '.join(terraform)} ({version})", flush=True)
    cli_config = install_private(WORK / "mirror", WORK / "terraformrc")
    different, same, port = setup(cli_config, args.fresh)
    wanted = {name.strip() for name in args.scenarios.split(",")}
    rows: list[dict[str, Any]] = []
    redis = RedisServer(WORK).start()
    try:
        with tiered_emulator(WORK / "emulator.db", port) as emulator:
            for scenario, workdirs in zip(SCENARIOS, (different, same), strict=True):
                if scenario[1] not in wanted:
                    continue
                for shared in (None, redis):
                    if rows:
                        time.sleep(WINDOW / 30)  # let the machine settle between measurements
                    rows.append(measure(scenario, workdirs, emulator, cli_config, shared))
    finally:
        redis.stop()
    print()
    for scenario, what in SCENARIOS.items():
        chosen = [r for r in rows if r["scenario"] == scenario]
        if chosen:
            print(f"{scenario}: {what}\n{column_table(chosen, COLUMNS)}\n")
    for line in verdicts(rows):
        print(line)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "fleet.json").write_text(json.dumps({"terraform": version, "rows": rows}, indent=2))
    plot(rows, RESULTS / "fleet.png")
    print(f"\nwrote {RESULTS / 'fleet.json'} and {RESULTS / 'fleet.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
