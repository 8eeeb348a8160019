"""`make bench-scale`: what the provider costs a plan of N resources, next to Terraform's own cost.

For N = 100, 1,000 and 5,000 (`--sizes`), one configuration of Sevalla resources (the realistic
mix of `bench.refresh`: applications with env vars, domains and a process; databases; static
sites; buckets with CORS policies) and one of N `terraform_data` with the same labels and the same
dependency edges (a child's input refers to its parent), so Terraform's own graph work is the same.
Both are applied once (setup, untimed; reused while the configuration and emulator database are
unchanged), then, per emulator latency (`--latencies`, default 0 and 50 ms per request; rate-limit
tiers off: the API's quota is `make bench`'s subject, this is the provider's CPU), `--rounds`
rounds of `terraform plan` (with refresh) and a no-op `terraform apply`, the two configurations
alternating which goes first so that each ratio is taken within the same seconds. Each Sevalla run
starts with an empty disk cache (a CI job's first plan), and with the client's own rate limits
off (`SEVALLA_RATE_LIMIT_ENABLED=false`), as the emulator's are: the provider paces itself by
Sevalla's tiers even when the API says nothing, and a cold plan of N = 5,000 (~1,600 reads) would
otherwise wait out four minutes of the 400-reads-a-minute quota, and one of N = 1,000 (320 reads)
30 s of the default token bucket (10 requests/s) -- the quota's cost, which `make bench` measures.

Reported per (N, latency, command), medians: wall time of both and the ratio; API calls (the
emulator's count); provider CPU seconds (user + system of every provider process the command
started: the warm server's rusage of the children it reaped; with `SEVALLA_PROVIDER_WARM=0`, the
rusage of Terraform's children, less Terraform's own CPU); the same per resource; Terraform's own
CPU; peak RSS of the largest provider process. Output: a table with PASS/FAIL against issue 15's
targets, `bench/results/scale.json` and `bench/results/scale.png` (time against N, log-log with
a line of slope 1, so growth faster than linear shows).

Uses the real `terraform` on PATH when there is one (the table says which binary ran).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import attrs

from bench.refresh import Mix, configuration, free_port
from bench.report import save_figure
from bench.startup import DirectoryServers
from bench.terraform_runs import terraform_run
from devtools.install import install_private
from devtools.terraform import terraform_command
from emulator.faults import Faults
from emulator.process import EmulatorProcess
from provider.version import VERSION

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench-scale"
RESULTS = ROOT / "bench" / "results"
API_KEY = "bench-key"
COMMANDS = {
    "plan": ["plan", "-input=false", "-no-color", "-detailed-exitcode"],
    "apply (no-op)": ["apply", "-auto-approve", "-input=false", "-no-color"],
}
NO_CLIENT_LIMITS = {"SEVALLA_RATE_LIMIT_ENABLED": "false"}
# Issue 15's targets: the ratio to terraform_data at each N, per command.
RATIO_TARGETS = {1000: 2.0, 5000: 2.5}
RSS_TARGET_MIB = 150
CPU_PER_RESOURCE_TARGET_MS = 1.0


def terraform_data_configuration(mix: Mix) -> str:
    """N `terraform_data` with the Sevalla configuration's labels and dependency edges."""

    def block(label: str, value: str) -> str:
        return f'resource "terraform_data" "{label}" {{\n  input = {value}\n}}\n'

    blocks = []
    for a in range(mix.apps):
        blocks.append(block(f"app{a}", f'"bench-app-{a}"'))
        parent = f"terraform_data.app{a}.id"
        blocks += [block(f"app{a}_env{e}", f'{{ parent = {parent}, key = "VAR_{e}" }}')
                   for e in range(mix.env_vars_per_app)]  # fmt: skip
        blocks += [block(f"app{a}_domain{d}", f'{{ parent = {parent}, name = "d{d}" }}')
                   for d in range(mix.domains_per_app)]  # fmt: skip
        blocks += [block(f"app{a}_worker{p}", f'{{ parent = {parent}, name = "w{p}" }}')
                   for p in range(mix.processes_per_app)]  # fmt: skip
    blocks += [block(f"db{d}", f'"bench-db-{d}"') for d in range(mix.databases)]
    blocks += [block(f"site{s}", f'"bench-site-{s}"') for s in range(mix.static_sites)]
    for b in range(mix.buckets):
        blocks.append(block(f"bucket{b}", f'"bench-bucket-{b}"'))
        blocks += [block(f"bucket{b}_cors{c}", f'{{ parent = terraform_data.bucket{b}.id, o = "{c}" }}')
                   for c in range(mix.cors_per_bucket)]  # fmt: skip
    return "\n".join(blocks)


@attrs.frozen
class Usage:
    """CPU seconds of a finished command: Terraform's (and its launchers'), the providers'."""

    terraform_cpu: float
    provider_cpu: float
    provider_rss_mib: float | None


class Workspace:
    """One configuration, applied once, then planned and applied (no-op) for measurement."""

    def __init__(self, path: Path, config: str, env: dict[str, str], servers: DirectoryServers) -> None:
        self.path = path
        self.env = env
        self.servers = servers
        self.config = config

    def setup(self, extra_env: dict[str, str]) -> None:
        """Init and apply, unless this configuration was applied already (the stamp matches)."""
        stamp = self.path / ".applied"
        digest = hashlib.sha256(self.config.encode()).hexdigest()
        if stamp.exists() and stamp.read_text() == digest and (self.path / "terraform.tfstate").exists():
            return
        shutil.rmtree(self.path, ignore_errors=True)
        self.path.mkdir(parents=True)
        (self.path / "main.tf").write_text(self.config)
        self.run(["init", "-input=false", "-no-color"], extra_env)
        self.run(["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"], extra_env)
        stamp.write_text(digest)

    def run(self, args: list[str], extra_env: dict[str, str] | None = None) -> tuple[float, Usage]:
        before_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        before_served = self.served()
        wall, _ = terraform_run(self.path, {**self.env, **(extra_env or {})}, *args)
        after_children = resource.getrusage(resource.RUSAGE_CHILDREN)
        children_cpu = (after_children.ru_utime - before_children.ru_utime) + (
            after_children.ru_stime - before_children.ru_stime
        )
        after_served = self.served()
        if after_served is None or before_served is None or after_served["pid"] != before_served["pid"]:
            # No warm server (SEVALLA_PROVIDER_WARM=0, or it was not up): the providers were
            # Terraform's children; their peak RSS is not told apart from Terraform's.
            return wall, Usage(children_cpu, float("nan"), None)
        provider_cpu = after_served["cpu_seconds"] - before_served["cpu_seconds"]
        rss = (
            after_served["max_rss_kib"] / 1024
            if after_served["processes"] > before_served["processes"]
            else None
        )
        return wall, Usage(children_cpu, provider_cpu, rss)

    def served(self) -> dict[str, Any] | None:
        status = self.servers.status()
        if status is None or "served" not in status:
            return None
        return {"pid": status["pid"], **status["served"]}


def terraform_version() -> str:
    out = subprocess.run([*terraform_command(), "version", "-json"], capture_output=True, text=True)
    try:
        return str(json.loads(out.stdout)["terraform_version"])
    except (ValueError, KeyError):
        return out.stdout.splitlines()[0] if out.stdout else "unknown"


def measure_size(
    n: int, latencies: list[int], rounds: int, cli_config: Path, warm_dir: Path
) -> list[dict[str, Any]]:
    mix = Mix.of_size(n)
    root = WORK / f"n{mix.total}"
    root.mkdir(parents=True, exist_ok=True)
    db = root / "emulator.db"
    servers = DirectoryServers(warm_dir)
    base_env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "SEVALLA_API_KEY": API_KEY,
        "SEVALLA_PROVIDER_WARM_DIR": str(warm_dir),
    }
    sevalla = Workspace(root / "sevalla", configuration(mix), base_env, servers)
    builtin = Workspace(root / "terraform_data", terraform_data_configuration(mix), base_env, servers)
    port_file = root / "port"  # the API URL is in the state's provider config: keep it stable
    if not port_file.exists() or not db.exists() or not (sevalla.path / ".applied").exists():
        db.unlink(missing_ok=True)
        port_file.write_text(str(free_port()))
    port = int(port_file.read_text())
    print(f"N={mix.total}: {attrs.asdict(mix)}", flush=True)
    started = time.monotonic()
    with EmulatorProcess(
        db_path=db, api_key=API_KEY, rate_limits_enabled=False, db_ready_delay_seconds=0, port=port
    ) as setup:
        env = {"SEVALLA_API_URL": setup.url, "SEVALLA_RATE_LIMIT_ENABLED": "false"}
        sevalla.setup(env)
        builtin.setup({})
    print(f"  setup: {time.monotonic() - started:.0f}s", flush=True)

    rows = []
    for latency in latencies:
        with EmulatorProcess(
            db_path=db,
            api_key=API_KEY,
            rate_limits_enabled=False,
            db_ready_delay_seconds=0,
            faults=Faults(latency_ms=latency),
            port=port,
        ) as emulator:
            sevalla.env = {**base_env, "SEVALLA_API_URL": emulator.url, **NO_CLIENT_LIMITS}
            # One untimed run of each: the warm server up, Terraform's files in the page cache.
            for workspace in (sevalla, builtin):
                workspace.run(COMMANDS["plan"])
            for command, args in COMMANDS.items():
                samples: list[dict[str, Any]] = []
                for round_number in range(rounds):
                    order = (sevalla, builtin) if round_number % 2 == 0 else (builtin, sevalla)
                    sample: dict[str, Any] = {}
                    for workspace in order:
                        if workspace is sevalla:
                            cache = root / f"disk-cache-{latency}-{command.split()[0]}-{round_number}"
                            shutil.rmtree(cache, ignore_errors=True)
                            emulator.reset_stats()
                            wall, usage = workspace.run(args, {"SEVALLA_DISK_CACHE_DIR": str(cache)})
                            sample.update(sevalla_s=wall, api_calls=emulator.stats()["total"],
                                          provider_cpu_s=usage.provider_cpu, terraform_cpu_s=usage.terraform_cpu,
                                          rss_mib=usage.provider_rss_mib)  # fmt: skip
                        else:
                            wall, usage = workspace.run(args)
                            sample.update(terraform_data_s=wall, terraform_data_cpu_s=usage.terraform_cpu)
                    samples.append(sample)
                rows.append(summarise(mix.total, latency, command, samples))
                print("  " + line(rows[-1]), flush=True)
    return rows


def summarise(n: int, latency: int, command: str, samples: list[dict[str, Any]]) -> dict[str, Any]:
    def median(key: str) -> float:
        return statistics.median(sample[key] for sample in samples)

    ratios = [sample["sevalla_s"] / sample["terraform_data_s"] for sample in samples]
    provider_cpu = median("provider_cpu_s")
    rss = [sample["rss_mib"] for sample in samples if sample["rss_mib"] is not None]
    return {
        "n": n,
        "latency_ms": latency,
        "command": command,
        "rounds": len(samples),
        "sevalla_s": round(median("sevalla_s"), 3),
        "terraform_data_s": round(median("terraform_data_s"), 3),
        "ratio": round(statistics.median(ratios), 2),
        "ratios": [round(ratio, 2) for ratio in ratios],
        "api_calls": int(median("api_calls")),
        "provider_cpu_s": round(provider_cpu, 2),
        "provider_cpu_ms_per_resource": round(provider_cpu * 1000 / n, 3),
        "terraform_cpu_s": round(median("terraform_cpu_s"), 2),
        "terraform_data_cpu_s": round(median("terraform_data_cpu_s"), 2),
        "provider_peak_rss_mib": round(max(rss), 1) if rss else None,
    }


def line(row: dict[str, Any]) -> str:
    return (
        f"{row['command']:<13} {row['latency_ms']:>2} ms: {row['sevalla_s']:7.2f}s vs {row['terraform_data_s']:6.2f}s "
        f"= {row['ratio']:.2f}x  {row['api_calls']} calls  provider CPU {row['provider_cpu_s']}s "
        f"({row['provider_cpu_ms_per_resource']} ms/resource)  RSS {row['provider_peak_rss_mib']} MiB"
    )


COLUMNS = [
    ("n", "N"), ("latency_ms", "latency ms"), ("command", "command"), ("sevalla_s", "sevalla s"),
    ("terraform_data_s", "terraform_data s"), ("ratio", "ratio"), ("api_calls", "API calls"),
    ("provider_cpu_s", "provider CPU s"), ("provider_cpu_ms_per_resource", "CPU ms/resource"),
    ("terraform_cpu_s", "terraform CPU s"), ("provider_peak_rss_mib", "peak RSS MiB"),
]  # fmt: skip


def table(rows: list[dict[str, Any]]) -> str:
    widths = [max(len(title), *(len(str(r[key])) for r in rows)) for key, title in COLUMNS]
    lines = ["  ".join(title.rjust(w) for (_, title), w in zip(COLUMNS, widths, strict=True))]
    lines += [
        "  ".join(str(r[key]).rjust(w) for (key, _), w in zip(COLUMNS, widths, strict=True)) for r in rows
    ]
    return "\n".join(lines)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    out = []
    for row in rows:
        where = f"N={row['n']} {row['latency_ms']} ms {row['command']}"
        target = RATIO_TARGETS.get(row["n"])
        if target is not None:
            ok = row["ratio"] <= target
            out.append(
                f"{'PASS' if ok else 'FAIL'}  {where}: {row['ratio']}x terraform_data (target <= {target}x)"
            )
        per_resource = row["provider_cpu_ms_per_resource"]
        if row["command"] == "plan" and per_resource == per_resource:  # not NaN
            ok = per_resource <= CPU_PER_RESOURCE_TARGET_MS
            out.append(
                f"{'PASS' if ok else 'FAIL'}  {where}: provider CPU {per_resource} ms per resource "
                f"(target <= {CPU_PER_RESOURCE_TARGET_MS})"
            )
        if row["n"] >= 5000 and row["provider_peak_rss_mib"] is not None:
            ok = row["provider_peak_rss_mib"] <= RSS_TARGET_MIB
            out.append(
                f"{'PASS' if ok else 'FAIL'}  {where}: peak provider RSS {row['provider_peak_rss_mib']} MiB "
                f"(target <= {RSS_TARGET_MIB})"
            )
    return out


def plot(rows: list[dict[str, Any]], path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    commands = list(COMMANDS)
    fig, axes = plt.subplots(1, len(commands) + 1, figsize=(15, 4.4))
    for ax, command in zip(axes, commands, strict=False):
        for latency in sorted({r["latency_ms"] for r in rows}):
            points = sorted((r["n"], r["sevalla_s"], r["terraform_data_s"]) for r in rows
                            if r["command"] == command and r["latency_ms"] == latency)  # fmt: skip
            ns = [p[0] for p in points]
            ax.plot(ns, [p[1] for p in points], marker="o", label=f"sevalla, {latency} ms API")
            if latency == min(r["latency_ms"] for r in rows):
                ax.plot(ns, [p[2] for p in points], marker="s", color="k", label="terraform_data")
                if ns:  # slope 1 through the first Sevalla point: linear growth
                    ax.plot(ns, [points[0][1] * n / ns[0] for n in ns], "k:", label="linear")
        ax.set_title(f"terraform {command}: wall time (s)")
    cpu_ax = axes[-1]
    for latency in sorted({r["latency_ms"] for r in rows}):
        cpu_points = sorted((r["n"], r["provider_cpu_ms_per_resource"]) for r in rows
                            if r["command"] == "plan" and r["latency_ms"] == latency)  # fmt: skip
        cpu_ax.plot(
            [p[0] for p in cpu_points],
            [p[1] for p in cpu_points],
            marker="o",
            label=f"plan, {latency} ms API",
        )
    cpu_ax.axhline(CPU_PER_RESOURCE_TARGET_MS, color="r", linestyle="--", label="target")
    cpu_ax.set_title("provider CPU per resource per plan (ms)")
    for ax in axes:
        ax.set_xscale("log")
        ax.set_xlabel("resources (N)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    for ax in axes[:-1]:
        ax.set_yscale("log")
    fig.suptitle(title)
    save_figure(fig, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100,1000,5000", help="comma-separated N values")
    parser.add_argument("--latencies", default="0,50", help="comma-separated emulator latencies (ms)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per command (median; default 3)")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    latencies = [int(latency) for latency in args.latencies.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    cli_config = install_private(WORK / "mirror", WORK / "terraformrc")
    # A private warm server, so its rusage counts only these runs (short: a socket path's limit).
    warm_dir = Path(tempfile.mkdtemp(prefix="sevalla-scale-"))
    binary = f"{' '.join(terraform_command())} ({terraform_version()})"
    print(f"terraform: {binary}; provider {VERSION}", flush=True)
    rows: list[dict[str, Any]] = []
    try:
        for n in sizes:
            rows.extend(measure_size(n, latencies, args.rounds, cli_config, warm_dir))
    finally:
        DirectoryServers(warm_dir).stop()
        shutil.rmtree(warm_dir, ignore_errors=True)
    print()
    print(f"terraform: {binary}")
    print(table(rows))
    print()
    for verdict in verdicts(rows):
        print(verdict)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "scale.json").write_text(json.dumps({"terraform": binary, "rows": rows}, indent=2))
    plot(rows, args.out / "scale.png", f"Plans at scale vs terraform_data ({binary})")
    print(f"\nwrote {args.out / 'scale.json'} and {args.out / 'scale.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
