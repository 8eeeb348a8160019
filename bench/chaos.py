"""Chaos run (issue 10): ≥ 200 resources of mixed types through a seeded fault mix, with real
Terraform: apply → plan (expect no changes) → refresh → destroy.

The emulator answers 10% of API requests with a 5xx, 5% with a 429, drops 5% of connections,
and commits 5% of creates but fails their answer (ambiguous creates). The mix is seeded: each
phase restarts the fault stream from `seed + phase number`, so the same seed replays the same
faults for the same order of requests. Terraform is the one `devtools.terraform` picks (the real
binary when on PATH).

Per phase it reports the errors Terraform surfaced (count, and the first line of each distinct
one, ids and seconds masked), duplicates, orphans and state objects missing on the server
(`devtools.convergence`), API calls, faults injected and wall time; it writes
bench/results/chaos.json, and each phase's Terraform output to build/bench-chaos/<phase>.log.
The goal: 0 errors, 0 duplicates, 0 orphans, a plan without changes, an empty emulator after
destroy.

The emulator's rate tiers are counted and announced in headers but not enforced; with a 0.25 s
"minute" (a 15 s "hour") the client's own pacing of the 20-per-hour creation tier stays short.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bench.terraform_runs import terraform_process
from devtools.convergence import compare, errors_in, state_resources
from devtools.install import REQUIRED_PROVIDERS, install_private
from devtools.terraform import terraform_command
from emulator.faults import Faults
from emulator.process import EmulatorProcess

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench-chaos"
RESULTS = ROOT / "bench" / "results" / "chaos.json"
API_KEY = "chaos-key"
DEFAULT_SEED = 10
DEFAULT_GROUPS = 10  # 21 resources each
ENV_VARS_PER_APP = 6


def mix(seed: int, ambiguous_mode: str) -> Faults:
    return Faults(
        error_5xx_percent=10,
        rate_limit_percent=5,
        rate_limit_reset_seconds=1,
        drop_percent=5,
        ambiguous_create_percent=5,
        ambiguous_mode=ambiguous_mode,
        seed=seed,
    )


def group(index: int) -> str:
    """21 resources: an application with env vars, a domain and a worker; a database; a static
    site with an env var; object storage with a CORS policy; a load balancer to the application;
    a pipeline with two stages; a project with the bucket attached."""
    g = f"g{index:02d}"
    return textwrap.dedent(
        f"""
        resource "sevalla_application" "{g}" {{
          display_name = "chaos-app-{g}"
          cluster_id   = data.sevalla_clusters.all.clusters[0].id
          source       = "dockerImage"
          docker_image = "nginx:latest"
        }}

        resource "sevalla_application_environment_variable" "{g}" {{
          for_each       = {{ for i in range({ENV_VARS_PER_APP}) : "VAR_${{i}}" => "value-${{i}}" }}
          application_id = sevalla_application.{g}.id
          key            = each.key
          value          = each.value
        }}

        resource "sevalla_application_domain" "{g}" {{
          application_id = sevalla_application.{g}.id
          name           = "{g}.chaos.example.com"
        }}

        resource "sevalla_application_process" "{g}" {{
          application_id   = sevalla_application.{g}.id
          display_name     = "Worker {g}"
          type             = "worker"
          entrypoint       = "node worker.js"
          resource_type_id = data.sevalla_process_resource_types.all.process_resource_types[0].id
          scaling_strategy = {{ type = "manual", instance_count = 1 }}
        }}

        resource "sevalla_database" "{g}" {{
          display_name     = "chaos-db-{g}"
          type             = "postgresql"
          version          = "16"
          cluster_id       = data.sevalla_clusters.all.clusters[0].id
          resource_type_id = data.sevalla_database_resource_types.all.database_resource_types[0].id
          db_name          = "chaos_{g}"
          db_password      = "chaos-password"
        }}

        resource "sevalla_static_site" "{g}" {{
          display_name   = "chaos-site-{g}"
          repo_url       = "https://github.com/example/site"
          default_branch = "main"
        }}

        resource "sevalla_static_site_environment_variable" "{g}" {{
          static_site_id = sevalla_static_site.{g}.id
          key            = "SITE_VAR"
          value          = "{g}"
        }}

        resource "sevalla_object_storage" "{g}" {{
          display_name = "chaos-bucket-{g}"
        }}

        resource "sevalla_object_storage_cors_policy" "{g}" {{
          object_storage_id = sevalla_object_storage.{g}.id
          allowed_origins   = ["https://{g}.example.com"]
          allowed_methods   = ["GET", "PUT"]
          allowed_headers   = ["Content-Type"]
        }}

        resource "sevalla_load_balancer" "{g}" {{
          display_name = "chaos-lb-{g}"
        }}

        resource "sevalla_load_balancer_destination" "{g}" {{
          load_balancer_id = sevalla_load_balancer.{g}.id
          service_type     = "APP"
          service_id       = sevalla_application.{g}.id
          weight           = 100
        }}

        resource "sevalla_pipeline" "{g}" {{
          display_name = "chaos-pipeline-{g}"
          type         = "trunk"
        }}

        resource "sevalla_pipeline_stage" "{g}_staging" {{
          pipeline_id   = sevalla_pipeline.{g}.id
          name          = "Staging"
          insert_before = 0
          branch        = "main"
        }}

        resource "sevalla_pipeline_stage" "{g}_production" {{
          pipeline_id   = sevalla_pipeline.{g}.id
          name          = "Production"
          insert_before = 1
          depends_on    = [sevalla_pipeline_stage.{g}_staging]
        }}

        resource "sevalla_project" "{g}" {{
          display_name = "chaos-project-{g}"
        }}

        resource "sevalla_project_service" "{g}" {{
          project_id   = sevalla_project.{g}.id
          service_id   = sevalla_object_storage.{g}.id
          service_type = "object-storage"
        }}
        """
    )


RESOURCES_PER_GROUP = 15 + ENV_VARS_PER_APP  # as counted in `group`: 21


def configuration(groups: int) -> str:
    data = textwrap.dedent(
        """
        data "sevalla_clusters" "all" {}
        data "sevalla_process_resource_types" "all" {}
        data "sevalla_database_resource_types" "all" {}
        """
    )
    return REQUIRED_PROVIDERS + data + "".join(group(index) for index in range(groups))


PHASES: dict[str, list[str]] = {
    "apply": ["apply", "-auto-approve", "-input=false", "-no-color"],
    "plan": ["plan", "-detailed-exitcode", "-input=false", "-no-color"],
    "refresh": ["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"],
    "destroy": ["destroy", "-auto-approve", "-input=false", "-no-color"],
}


def terraform(workdir: Path, env: dict[str, str], args: list[str], timeout: float) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        result = terraform_process(workdir, env, args, timeout)
        code, output = result.returncode, result.stdout + result.stderr
    except subprocess.TimeoutExpired as expired:
        code = -1
        output = (
            _text(expired.stdout) + _text(expired.stderr) + f"\nError: terraform timed out after {timeout:g}s"
        )
    return code, output, time.monotonic() - started


def _text(value: str | bytes | None) -> str:
    if value is None:
        return ""
    return value.decode(errors="replace") if isinstance(value, bytes) else value


_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SECONDS = re.compile(r"\b\d+(\.\d+)?s\b")


def normalized(error: str) -> str:
    """Errors that differ only by an id or a number of seconds count as one."""
    return _SECONDS.sub("Ns", _ID.sub("<id>", error))[:300]


def distinct_errors(errors: list[str]) -> list[dict[str, Any]]:
    counts = Counter(normalized(error) for error in errors)
    return [{"count": count, "error": error} for error, count in counts.most_common()]


def run(seed: int, groups: int, ambiguous_mode: str, phase_timeout: float) -> dict[str, Any]:
    shutil.rmtree(WORK, ignore_errors=True)
    workdir = WORK / "tf"
    workdir.mkdir(parents=True)
    (workdir / "main.tf").write_text(configuration(groups))
    cli_config = install_private(WORK / "mirror", WORK / "terraformrc")
    env = {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
        "SEVALLA_API_KEY": API_KEY,
        "SEVALLA_DISK_CACHE_DIR": str(WORK / "disk-cache"),
    }
    phases: list[dict[str, Any]] = []
    with EmulatorProcess(
        db_path=WORK / "emulator.db",
        api_key=API_KEY,
        rate_limits_enabled=False,
        rate_window_seconds=0.25,
        db_ready_delay_seconds=1.0,
    ) as emulator:
        env["SEVALLA_API_URL"] = emulator.url
        code, output, _ = terraform(workdir, env, ["init", "-input=false", "-no-color"], phase_timeout)
        if code != 0:
            raise SystemExit(f"terraform init failed:\n{output[-3000:]}")
        resources = 0
        for number, (phase, args) in enumerate(PHASES.items()):
            emulator.set_faults(**mix(seed + number, ambiguous_mode).as_json())
            emulator.reset_stats()
            print(f"{phase}: running ...", flush=True)
            code, output, seconds = terraform(workdir, env, args, phase_timeout)
            (WORK / f"{phase}.log").write_text(output)
            stats = emulator.stats()
            emulator.clear_faults()
            state = state_resources(_show(workdir, env, phase_timeout))
            resources = max(resources, sum(r.type.startswith("sevalla_") for r in state))
            report = compare(state, emulator.object_list())
            errors = distinct_errors(errors_in(output))
            phases.append(
                {
                    "phase": phase,
                    "exit_code": code,
                    "ok": code == 0 and not errors,  # plan: 2 means changes
                    "errors": sum(item["count"] for item in errors),
                    "distinct_errors": errors,
                    "plan_changes": _plan_line(output) if phase == "plan" else None,
                    **report.counts(),
                    "duplicate_list": list(report.duplicates[:20]),
                    "orphan_list": list(report.orphans[:20]),
                    "missing_list": list(report.missing[:20]),
                    "state_resources": report.state_resources,
                    "server_objects": report.server_objects,
                    "api_calls": stats["total"],
                    "faults": stats["faults"],
                    "wall_s": round(seconds, 1),
                }
            )
            print(f"{phase}: exit {code}, {len(errors)} distinct errors, {seconds:.1f}s", flush=True)
        left = emulator.objects()
    return {
        "seed": seed,
        "groups": groups,
        "resources": groups * RESOURCES_PER_GROUP,
        "resources_in_state_max": resources,
        "faults": {**mix(seed, ambiguous_mode).as_json(), "seed": f"{seed} + phase number"},
        "terraform": " ".join(terraform_command()),
        "phases": phases,
        "left_after_destroy": {kind: count for kind, count in left.items() if count},
    }


def _show(workdir: Path, env: dict[str, str], timeout: float) -> dict[str, Any]:
    result = terraform_process(workdir, env, ["show", "-json", "-no-color"], timeout)
    if result.returncode != 0 or not result.stdout.strip():
        return {}
    shown: dict[str, Any] = json.loads(result.stdout)
    return shown


def _plan_line(output: str) -> str:
    for line in output.splitlines():
        if line.startswith(("Plan:", "No changes.", "Note: Objects have changed")):
            return line
    return ""


def table(result: dict[str, Any]) -> str:
    columns = [
        ("phase", "phase"), ("exit_code", "exit"), ("errors", "errors"), ("duplicates", "dup"),
        ("orphans", "orphans"), ("missing", "missing"), ("api_calls", "API calls"),
        ("faults_injected", "faults"), ("wall_s", "wall s"),
    ]  # fmt: skip
    rows = [
        {**phase, "faults_injected": "/".join(str(v) for v in phase["faults"].values())}
        for phase in result["phases"]
    ]
    widths = [max(len(title), *(len(str(row[key])) for row in rows)) for key, title in columns]
    lines = ["  ".join(title.rjust(w) for (_, title), w in zip(columns, widths, strict=True))]
    for row in rows:
        lines.append("  ".join(str(row[key]).rjust(w) for (key, _), w in zip(columns, widths, strict=True)))
    lines.append("faults = 5xx/429/drop/ambiguous create/targeted")
    for phase in result["phases"]:
        for item in phase["distinct_errors"][:8]:
            lines.append(f"  {phase['phase']}: {item['count']} × {item['error'][:200]}")
        if len(phase["distinct_errors"]) > 8:
            lines.append(f"  {phase['phase']}: ... {len(phase['distinct_errors']) - 8} more distinct errors")
        if phase["plan_changes"] is not None:
            lines.append(f"  plan: {phase['plan_changes'] or '(no summary line)'}")
        for key in ("duplicate_list", "orphan_list", "missing_list"):
            for item in phase[key][:3]:
                lines.append(f"  {phase['phase']}: {key.split('_')[0]} {item[:200]}")
    lines.append(f"left after destroy: {result['left_after_destroy'] or 'nothing'}")
    return "\n".join(lines)


def verdict(result: dict[str, Any]) -> bool:
    phases = result["phases"]
    return (
        all(
            phase["ok"] and not (phase["duplicates"] or phase["orphans"] or phase["missing"])
            for phase in phases
        )
        and not result["left_after_destroy"]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"fault seed (default {DEFAULT_SEED})")
    parser.add_argument(
        "--groups", type=int, default=DEFAULT_GROUPS, help=f"groups of {RESOURCES_PER_GROUP} resources"
    )
    parser.add_argument("--ambiguous-mode", choices=("error", "drop"), default="error")
    parser.add_argument(
        "--phase-timeout", type=float, default=1200.0, help="seconds before a phase is killed"
    )
    args = parser.parse_args(argv)
    print(f"chaos: {args.groups * RESOURCES_PER_GROUP} resources, seed {args.seed}", flush=True)
    result = run(args.seed, args.groups, args.ambiguous_mode, args.phase_timeout)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print()
    print(table(result))
    passed = verdict(result)
    print(f"\n{'PASS' if passed else 'FAIL'}: 0 errors, 0 duplicates, 0 orphans, empty plan, empty emulator")
    print(f"wrote {RESULTS.relative_to(ROOT)}")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
