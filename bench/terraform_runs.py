"""`terraform plan/apply/destroy` wall time: one Sevalla resource vs built-in `terraform_data` only.

Both configurations hold exactly one resource: a `sevalla_application` (created by the timed
`apply`, planned with no changes, then destroyed) against the emulator, and a `terraform_data`
that needs no provider process at all. Each round runs apply, plan, destroy for both, alternating
which goes first, so the ratio sevalla / terraform_data is taken within the same seconds on a
shared machine. Terraform starts the provider 4 times for apply, 3 for plan, 5 for destroy.
"""

from __future__ import annotations

import os
import subprocess
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devtools.install import REQUIRED_PROVIDERS
from devtools.terraform import terraform_command
from emulator.catalog import CLUSTERS

COMMANDS = ("apply", "plan", "destroy")
COLD_PLAN = "plan (cold)"

SEVALLA_CONFIG = REQUIRED_PROVIDERS + textwrap.dedent(
    f"""\

    resource "sevalla_application" "bench" {{
      display_name   = "bench-startup"
      cluster_id     = "{CLUSTERS[0]["id"]}"
      source         = "publicGit"
      repo_url       = "https://github.com/example/app"
      default_branch = "main"
    }}
    """
)

TERRAFORM_DATA_CONFIG = textwrap.dedent(
    """\
    resource "terraform_data" "bench" {
      input = "bench-startup"
    }
    """
)

ARGS = {
    "apply": ["apply", "-auto-approve", "-input=false", "-no-color"],
    "plan": ["plan", "-input=false", "-no-color"],
    "destroy": ["destroy", "-auto-approve", "-input=false", "-no-color"],
}


def terraform_process(
    workdir: Path, env: dict[str, str], args: list[str] | tuple[str, ...], timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """`terraform <args>` in `workdir`, no stdin, output kept (TimeoutExpired after `timeout`)."""
    return subprocess.run(
        [*terraform_command(), *args],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def terraform_run(
    workdir: Path, env: dict[str, str], *args: str, ok: tuple[int, ...] = (0, 2)
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """`terraform <args>` in `workdir`: its wall time and result; any exit status outside `ok`
    (0, and 2 for `plan -detailed-exitcode`) ends the benchmark with the output's tail."""
    started = time.perf_counter()
    result = terraform_process(workdir, env, args)
    elapsed = time.perf_counter() - started
    if result.returncode not in ok:
        raise SystemExit(
            f"terraform {' '.join(args)} in {workdir} exited {result.returncode}:\n"
            f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return elapsed, result


@dataclass
class CommandTimes:
    sevalla: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in COMMANDS})
    terraform_data: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in COMMANDS})
    ratios: dict[str, list[float]] = field(default_factory=lambda: {c: [] for c in COMMANDS})


class Workdir:
    def __init__(self, path: Path, config: str, env: dict[str, str]) -> None:
        self.path = path
        self.env = env
        path.mkdir(parents=True, exist_ok=True)
        (path / "main.tf").write_text(config)
        self.run(["init", "-input=false", "-no-color"])

    def run(self, args: list[str]) -> float:
        started = time.perf_counter()
        result = subprocess.run(
            [*terraform_command(), *args],
            cwd=self.path,
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=600,
        )
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise RuntimeError(
                f"terraform {' '.join(args)} in {self.path} exited {result.returncode}\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
            )
        return elapsed


def terraform_env(cli_config: Path, api_url: str, api_key: str, warm: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "TF_CLI_CONFIG_FILE": str(cli_config),
            "TF_IN_AUTOMATION": "1",
            "CHECKPOINT_DISABLE": "1",
            "SEVALLA_API_URL": api_url,
            "SEVALLA_API_KEY": api_key,
            "SEVALLA_PROVIDER_WARM": "1" if warm else "0",
        }
    )
    return env


def measure(
    root: Path, env: dict[str, str], rounds: int, *, cold_plan: Callable[[], None] | None = None
) -> CommandTimes:
    """apply/plan/destroy rounds; with `cold_plan`, also `plan` right after calling it each round
    (the first command after a boot or an upgrade), recorded as "plan (cold)"."""
    sevalla = Workdir(root / "sevalla", SEVALLA_CONFIG, env)
    builtin = Workdir(root / "terraform_data", TERRAFORM_DATA_CONFIG, env)
    # One untimed round each: Terraform's own caches, the warm server (if on) up and running.
    for workdir in (sevalla, builtin):
        for command in COMMANDS:
            workdir.run(ARGS[command])
    times = CommandTimes()
    for round_number in range(rounds):
        order = (sevalla, builtin) if round_number % 2 == 0 else (builtin, sevalla)
        for command in COMMANDS:
            measured = {id(workdir): workdir.run(ARGS[command]) for workdir in order}
            ours, theirs = measured[id(sevalla)], measured[id(builtin)]
            times.sevalla[command].append(ours)
            times.terraform_data[command].append(theirs)
            times.ratios[command].append(ours / theirs)
            if command == "apply" and cold_plan is not None:
                cold_plan()
                ours, theirs = sevalla.run(ARGS["plan"]), builtin.run(ARGS["plan"])
                times.sevalla.setdefault(COLD_PLAN, []).append(ours)
                times.terraform_data.setdefault(COLD_PLAN, []).append(theirs)
                times.ratios.setdefault(COLD_PLAN, []).append(ours / theirs)
    return times
