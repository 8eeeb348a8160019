"""`make bench`: API calls, wall time and memory of `terraform plan` (with refresh), with read
coalescing and caching off (the baseline: one request per resource, like the official
provider) and on, at N = 10, 100 and 1000 resources, against the emulator.

Per N: a generated configuration of a realistic mix is applied once (emulator without tiers
or latency, to set up quickly); then the emulator restarts on the same database with the read
tier on and 50 ms per request, and `terraform plan` runs in each mode:
  baseline    SEVALLA_BATCH_ENABLED=false SEVALLA_CACHE_ENABLED=false
  on (cold)   defaults, empty disk cache (a new Terraform run later than the cache TTL)
  on (warm)   defaults, the disk cache the apply left (plan right after apply, within the TTL)
Reported: API calls (emulator stats), wall time, time the provider spent in rate-limit waits,
provider peak RSS (the provider's own metrics), 429s, the lower bound derived from the
workload, and the ratio to it. The read tier keeps its real 60 s window and the provider its
default settings (10 requests/s token bucket), so the baseline at N=1000 is bounded by 400
reads per minute, as it would be against Sevalla: it takes minutes, not hours. Output: a table
on stdout and bench/results/refresh.{json,png}.

Targets: at N=1000, "on" uses >= 5x fewer calls than the baseline and <= 1.5x the lower bound;
at N=10, no more wall time than the baseline; provider RSS <= 80 MiB at N=1000.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import sys
from pathlib import Path
from typing import Any

import attrs

from bench.report import column_table, save_figure
from bench.terraform_runs import terraform_run
from devtools.install import REQUIRED_PROVIDERS, install_private
from emulator.catalog import CLUSTERS, DATABASE_RESOURCE_TYPES, PROCESS_RESOURCE_TYPES
from emulator.faults import Faults
from emulator.process import EmulatorProcess

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench-refresh"
RESULTS = ROOT / "bench" / "results"
API_KEY = "bench-key"
LATENCY_MS = 50
WINDOW = 60.0  # seconds: the read tier's real window
MODES = {
    "baseline": {"SEVALLA_BATCH_ENABLED": "false", "SEVALLA_CACHE_ENABLED": "false"},
    "on (cold)": {},
    "on (warm)": {},
}


@attrs.frozen
class Mix:
    """How many of each resource a configuration of size N holds."""

    apps: int
    env_vars_per_app: int
    domains_per_app: int
    processes_per_app: int
    databases: int
    static_sites: int
    buckets: int
    cors_per_bucket: int

    @property
    def total(self) -> int:
        per_app = 1 + self.env_vars_per_app + self.domains_per_app + self.processes_per_app
        return (
            self.apps * per_app
            + self.databases
            + self.static_sites
            + self.buckets * (1 + self.cors_per_bucket)
        )

    @classmethod
    def of_size(cls, n: int) -> Mix:
        """Units of 25 (an app with 15 env vars, 2 domains and a process; a database; a static
        site; a bucket with 3 CORS policies); N=10 is one small unit."""
        if n < 25:
            return cls(1, 3, 1, 1, 1, 1, 1, 1)
        units = n // 25
        return cls(units, 15, 2, 1, units, units, units, 3)

    def lower_bound(self, warm: bool) -> int:
        """Calls no client can avoid: each top-level kind's summary pages, one list per
        (parent, child kind), and, without a usable disk cache, one GET per top-level object."""
        top_level = {"applications": self.apps, "databases": self.databases,
                     "static-sites": self.static_sites, "object-storage": self.buckets}  # fmt: skip
        pages = sum(math.ceil(count / 100) for count in top_level.values() if count)
        child_kinds_per_app = (
            (self.env_vars_per_app > 0) + (self.domains_per_app > 0) + (self.processes_per_app > 0)
        )
        child_lists = self.apps * child_kinds_per_app + self.buckets * (self.cors_per_bucket > 0)
        gets = 0 if warm else sum(top_level.values())
        return (pages if warm else 0) + child_lists + gets

    def baseline_estimate(self) -> int:
        return self.total


def hcl(value: Any) -> str:
    """A Python value as HCL; strings starting with "=" are references, written bare."""
    if isinstance(value, str):
        return value[1:] if value.startswith("=") else json.dumps(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {hcl(item)}" for key, item in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(hcl(item) for item in value) + "]"
    return json.dumps(value)


def resource(kind: str, label: str, /, **attributes: Any) -> str:
    body = "".join(f"  {key} = {hcl(value)}\n" for key, value in attributes.items())
    return f'resource "{kind}" "{label}" {{\n{body}}}\n'


def configuration(mix: Mix, name: str = "bench") -> str:
    """The workspace of `mix`; `name` starts every object's name (several workspaces, one company)."""
    cluster = CLUSTERS[0]["id"]
    blocks = [REQUIRED_PROVIDERS, 'provider "sevalla" {}\n']
    for a in range(mix.apps):
        app = f"=sevalla_application.app{a}.id"
        blocks.append(
            resource("sevalla_application", f"app{a}", display_name=f"{name}-app-{a}", cluster_id=cluster,
                     source="dockerImage", docker_image="nginx:1.27")
        )  # fmt: skip
        blocks += [
            resource("sevalla_application_environment_variable", f"app{a}_env{e}", application_id=app,
                     key=f"VAR_{e}", value=f"value-{e}")
            for e in range(mix.env_vars_per_app)
        ]  # fmt: skip
        blocks += [
            resource("sevalla_application_domain", f"app{a}_domain{d}", application_id=app,
                     name=f"d{d}.app{a}.{name}.example.com")
            for d in range(mix.domains_per_app)
        ]  # fmt: skip
        blocks += [
            resource("sevalla_application_process", f"app{a}_worker{p}", application_id=app,
                     display_name=f"worker {p}", type="worker", resource_type_id=PROCESS_RESOURCE_TYPES[0]["id"],
                     entrypoint="node worker.js", scaling_strategy={"type": "manual", "instance_count": 1})
            for p in range(mix.processes_per_app)
        ]  # fmt: skip
    blocks += [
        resource("sevalla_database", f"db{d}", display_name=f"{name}-db-{d}", type="postgresql", version="16",
                 cluster_id=cluster, resource_type_id=DATABASE_RESOURCE_TYPES[0]["id"], db_name=f"bench{d}",
                 db_password="bench-password")
        for d in range(mix.databases)
    ]  # fmt: skip
    blocks += [
        resource("sevalla_static_site", f"site{s}", display_name=f"{name}-site-{s}",
                 repo_url="https://github.com/example/site", default_branch="main")
        for s in range(mix.static_sites)
    ]  # fmt: skip
    for b in range(mix.buckets):
        blocks.append(resource("sevalla_object_storage", f"bucket{b}", display_name=f"{name}-bucket-{b}"))
        blocks += [
            resource("sevalla_object_storage_cors_policy", f"bucket{b}_cors{c}",
                     object_storage_id=f"=sevalla_object_storage.bucket{b}.id",
                     allowed_origins=[f"https://o{c}.example.com"], allowed_methods=["GET"])
            for c in range(mix.cors_per_bucket)
        ]  # fmt: skip
    return "\n".join(blocks)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def tiered_emulator(db: Path, port: int) -> EmulatorProcess:
    """What the measured plans run against: the setup's database, the tiers on with their real
    window, LATENCY_MS per answer."""
    return EmulatorProcess(
        db_path=db,
        api_key=API_KEY,
        rate_limits_enabled=True,
        rate_window_seconds=WINDOW,
        db_ready_delay_seconds=0,
        faults=Faults(latency_ms=LATENCY_MS),
        port=port,
    )


def run_terraform(workdir: Path, env: dict[str, str], *args: str) -> float:
    return terraform_run(workdir, env, *args)[0]


def provider_metrics(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def measure(n: int, cli_config: Path) -> list[dict[str, Any]]:
    mix = Mix.of_size(n)
    root = WORK / f"n{n}"
    shutil.rmtree(root, ignore_errors=True)
    (root / "tf").mkdir(parents=True)
    (root / "tf" / "main.tf").write_text(configuration(mix))
    db = root / "emulator.db"
    warm_cache = root / "disk-cache-warm"
    base_env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "SEVALLA_API_KEY": API_KEY,
    }
    print(f"N={n}: {mix.total} resources {attrs.asdict(mix)}; applying (setup)...", flush=True)
    # The same port before and after the restart: the API URL is part of the disk cache's key.
    port = free_port()
    with EmulatorProcess(
        db_path=db, api_key=API_KEY, rate_limits_enabled=False, db_ready_delay_seconds=0, port=port
    ) as setup:
        env = {
            **base_env,
            "SEVALLA_API_URL": setup.url,
            "SEVALLA_DISK_CACHE_DIR": str(warm_cache),
            "SEVALLA_RATE_LIMIT_ENABLED": "false",  # setup only; the measured plans use the defaults
        }
        run_terraform(root / "tf", env, "init", "-input=false")
        seconds = run_terraform(root / "tf", env, "apply", "-auto-approve", "-input=false", "-parallelism=10")
        print(f"  setup apply: {seconds:.1f}s", flush=True)

    window = WINDOW
    rows: list[dict[str, Any]] = []
    with tiered_emulator(db, port) as emulator:
        for mode, overrides in MODES.items():
            metrics_file = root / f"metrics-{mode.split()[0]}-{len(rows)}.jsonl"
            cache_dir = warm_cache if mode == "on (warm)" else root / f"disk-cache-empty-{len(rows)}"
            env = {
                **base_env,
                **overrides,
                "SEVALLA_API_URL": emulator.url,
                "SEVALLA_METRICS_FILE": str(metrics_file),
                "SEVALLA_DISK_CACHE_DIR": str(cache_dir),
            }
            emulator.reset_stats()
            emulator.reset_rate_limits()
            wall = run_terraform(
                root / "tf", env, "plan", "-input=false", "-parallelism=10", "-detailed-exitcode"
            )
            stats = emulator.stats()
            processes = provider_metrics(metrics_file)
            waited = sum(p.get("rate_limit_wait_seconds", 0) for p in processes)
            warm = mode == "on (warm)"
            bound = mix.lower_bound(warm)
            rows.append(
                {
                    "n": mix.total,
                    "mode": mode,
                    "api_calls": stats["total"],
                    "wall_s": round(wall, 2),
                    "rate_limit_wait_s": round(waited, 1),
                    "provider_peak_rss_mib": max((p.get("peak_rss_mib", 0) for p in processes), default=None),
                    "responses_429": stats["by_status"].get("429", 0),
                    "lower_bound": bound,
                    "ratio_to_bound": round(stats["total"] / bound, 2),
                    "tier_window_s": window,
                }
            )
            print(f"  {mode:<10} {stats['total']:>5} calls  {wall:6.1f}s", flush=True)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    columns = [
        ("n", "N"), ("mode", "mode"), ("api_calls", "API calls"), ("lower_bound", "lower bound"),
        ("ratio_to_bound", "x bound"), ("wall_s", "wall s"), ("rate_limit_wait_s", "waited s"),
        ("provider_peak_rss_mib", "peak RSS MiB"), ("responses_429", "429s"),
    ]  # fmt: skip
    return column_table(rows, columns)


def verdicts(rows: list[dict[str, Any]]) -> list[str]:
    def row(n: int, mode: str) -> dict[str, Any] | None:
        return next((r for r in rows if r["n"] == n and r["mode"] == mode), None)

    out = []
    big = max(r["n"] for r in rows)
    small = min(r["n"] for r in rows)
    base, warm = row(big, "baseline"), row(big, "on (warm)")
    if base and warm and big >= 1000:  # the targets are set at N=1000
        factor = base["api_calls"] / max(warm["api_calls"], 1)
        out.append(
            f"{'PASS' if factor >= 5 else 'FAIL'}  N={big}: {factor:.1f}x fewer calls than the baseline (target >= 5x)"
        )
        out.append(
            f"{'PASS' if warm['ratio_to_bound'] <= 1.5 else 'FAIL'}  N={big}: {warm['ratio_to_bound']}x the lower bound (target <= 1.5x)"
        )
        rss = warm["provider_peak_rss_mib"] or 0
        out.append(
            f"{'PASS' if rss and rss <= 80 else 'FAIL'}  N={big}: provider peak RSS {rss} MiB (target <= 80)"
        )
    base_s, on_s = row(small, "baseline"), row(small, "on (warm)")
    if base_s and on_s:
        ok = on_s["wall_s"] <= base_s["wall_s"] * 1.05
        out.append(
            f"{'PASS' if ok else 'FAIL'}  N={small}: {on_s['wall_s']}s vs baseline {base_s['wall_s']}s (target: no slower; 5% noise allowance)"
        )
    return out


def plot(rows: list[dict[str, Any]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (calls_ax, time_ax) = plt.subplots(1, 2, figsize=(11, 4.2))
    for mode in MODES:
        points = sorted((r["n"], r["api_calls"], r["wall_s"]) for r in rows if r["mode"] == mode)
        calls_ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=mode)
        time_ax.plot([p[0] for p in points], [p[2] for p in points], marker="o", label=mode)
    for warm, style in ((True, "k--"), (False, "k:")):
        mode = "on (warm)" if warm else "on (cold)"
        bounds = sorted((r["n"], r["lower_bound"]) for r in rows if r["mode"] == mode)
        calls_ax.plot(
            [p[0] for p in bounds],
            [p[1] for p in bounds],
            style,
            label=f"lower bound ({'warm' if warm else 'cold'})",
        )
    for ax, title in (
        (calls_ax, "API calls per terraform plan"),
        (time_ax, "wall time of terraform plan (s)"),
    ):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("resources (N)")
        ax.set_title(title)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(
        f"Refresh with read coalescing and caching off/on (emulator, {LATENCY_MS} ms per request, read tier on)"
    )
    save_figure(fig, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated N values")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    WORK.mkdir(parents=True, exist_ok=True)
    cli_config = install_private(WORK / "mirror", WORK / "terraformrc")
    rows: list[dict[str, Any]] = []
    for n in sizes:
        rows.extend(measure(n, cli_config))
    print()
    print(table(rows))
    print()
    for line in verdicts(rows):
        print(line)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "refresh.json").write_text(json.dumps(rows, indent=2))
    plot(rows, RESULTS / "refresh.png")
    print(f"\nwrote {RESULTS / 'refresh.json'} and {RESULTS / 'refresh.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
