"""`make demo`: a fresh emulator, the quickstart applied by real Terraform, then destroyed.

Steps: start the emulator on a free loopback port, install the provider into a private
filesystem mirror, `terraform init`, `apply`, a `plan -detailed-exitcode` that must show
no changes, a print of what was created and of the API calls the provider made, `destroy`,
and a check that the emulator holds nothing. At the end it says what stays behind: the warm
provider server (and how to stop it) and the files under build/demo/.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from devtools import metrics
from devtools.install import install_private
from devtools.terraform import terraform_command
from emulator.process import EmulatorProcess
from provider.version import VERSION
from warm import launcher

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "demo"


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


def run_terraform(
    command: list[str], cwd: Path, env: dict[str, str], *args: str, ok: tuple[int, ...] = (0,)
) -> int:
    """One visible Terraform command (also `make onboard`'s); exits unless its code is in `ok`."""
    started = time.monotonic()
    code = subprocess.run([*command, *args], cwd=cwd, env=env).returncode
    print(f"--- terraform {args[0]}: exit {code} in {time.monotonic() - started:.1f}s", flush=True)
    if code not in ok:
        raise SystemExit(f"terraform {' '.join(args)} failed with exit code {code}")
    return code


def terraform_env(cli_config: Path, emulator: EmulatorProcess) -> dict[str, str]:
    """The environment of a visible Terraform run against the emulator (also `make onboard`'s)."""
    return {
        **os.environ,
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "SEVALLA_API_URL": emulator.url,
        "SEVALLA_API_KEY": emulator.api_key,
        "TF_IN_AUTOMATION": "1",
        "CHECKPOINT_DISABLE": "1",
    }


def terraform(env: dict[str, str], *args: str, ok: tuple[int, ...] = (0,)) -> int:
    return run_terraform(terraform_command(), WORK / "quickstart", env, *args, ok=ok)


def print_stats(stats: dict) -> None:
    routes = sorted(stats["by_route"].items(), key=lambda item: (-item[1], item[0]))
    width = max((len(route) for route, _ in routes), default=10)
    print(f"{'API call':<{width}}  count")
    for route, count in routes:
        print(f"{route:<{width}}  {count:>5}")
    print(f"{'total':<{width}}  {stats['total']:>5}   by status: {stats['by_status']}")


def left_behind() -> list[str]:
    """What outlives the demo, as lines to print: Terraform's provider starts went through the
    warm launcher, which leaves a warm server running for SEVALLA_PROVIDER_WARM_IDLE seconds."""
    lines = [f"files: {WORK}/ (emulator.db, mirror/, terraformrc, disk-cache/, metrics.jsonl); "
             "`rm -rf build/demo` removes them; the next `make demo` starts afresh"]  # fmt: skip
    try:
        directory = launcher.runtime_dir()
        key = launcher.server_key(VERSION)
        status = launcher.ask_server(launcher.socket_path(directory, key), {"op": "status"})
    except (OSError, EOFError, ValueError, launcher.UnsafeDirectory):
        return [*lines, "warm provider server: none running"]
    idle = launcher.idle_seconds()
    return [
        *lines,
        f"warm provider server: pid {status['pid']}, socket {launcher.socket_path(directory, key)}, "
        f"log {os.path.join(directory, key + '.log')}",
        f"  it exits by itself after {idle // 60} idle minutes (SEVALLA_PROVIDER_WARM_IDLE={idle} s); "
        f"stop it now with `kill {status['pid']}`; SEVALLA_PROVIDER_WARM=0 never starts one",
        "  it holds no API key and no configuration: each provider process gets those from Terraform",
    ]


def main() -> int:
    started = time.monotonic()
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    shutil.copytree(ROOT / "examples" / "quickstart", WORK / "quickstart")
    cli_config = install_private(WORK / "mirror", WORK / "terraformrc")

    banner("starting the Sevalla API emulator")
    with EmulatorProcess(
        db_path=WORK / "emulator.db", api_key="demo-key", db_ready_delay_seconds=2.0
    ) as emulator:
        print(f"emulator: {emulator.url} (rate-limit tiers on)")
        env = {
            **terraform_env(cli_config, emulator),
            # Every provider process appends its client metrics here when it exits.
            "SEVALLA_METRICS_FILE": str(WORK / "metrics.jsonl"),
            # The provider's disk cache (default ~/.cache/terraform-provider-sevalla), kept in build/.
            "SEVALLA_DISK_CACHE_DIR": str(WORK / "disk-cache"),
        }
        print(f"terraform: {' '.join(terraform_command())}")

        banner("terraform init")
        terraform(env, "init", "-input=false")
        banner("terraform apply")
        terraform(env, "apply", "-auto-approve", "-input=false")
        banner("terraform plan -detailed-exitcode (must show no changes)")
        terraform(env, "plan", "-detailed-exitcode", "-input=false")

        banner("what was created")
        terraform(env, "state", "list")
        terraform(env, "output")
        banner("API calls the provider made (emulator stats, init to plan)")
        print_stats(emulator.stats())

        banner("terraform destroy")
        terraform(env, "destroy", "-auto-approve", "-input=false")
        left = emulator.objects()
        if left.get("total"):
            raise SystemExit(f"the emulator still holds objects after destroy: {left}")
        print(f"emulator objects after destroy: {left['total']}")

    banner(
        "what the provider did, per Terraform command (python -m devtools.metrics build/demo/metrics.jsonl)"
    )
    metrics.main([str(WORK / "metrics.jsonl"), "--png", str(WORK / "metrics.png")])
    banner("what the demo leaves behind")
    for line in left_behind():
        print(line)
    banner(f"demo finished in {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
