"""`make bench-startup`: how fast the provider starts and exits, and what that does to Terraform.

    python -m bench [--starts 20] [--rounds 5] [--no-terraform] [--out bench/results]

1. Installs the wrapper into a private mirror (as the tests do), unpacks the release artifact
   (`make release`'s zip for this platform, built once per inputs: `devtools.release.cached_build`)
   into another, and starts the emulator.
2. Starts the provider the way Terraform does (`bench.probe`), `--starts` times per mode:
   stock pyvider (`SEVALLA_PROVIDER_WARM=0`, cold and warm page cache) and the warm launcher
   (cold: no warm server and a dropped page cache; warm: a warm server up), and the release
   artifact's launcher (cold: no warm server, the unpacked artifact dropped from the page cache;
   warm: its warm server up). Each start fetches the
   schema, configures the provider and reads `sevalla_clusters` from the emulator, then closes.
3. Times the import floor: a process that only imports pyvider and gRPC (no provider code), cold
   and warm, `--starts` times each.
4. Times real `terraform plan/apply/destroy` of one `sevalla_application` next to one
   `terraform_data`, `--rounds` rounds, stock, launcher and artifact (`bench.terraform_runs`).
5. Prints a table with PASS/FAIL against the issue's targets and writes
   `<out>/startup.json` and `<out>/startup.png`. The exit status is 0 either way: targets are
   reported, not asserted (the machine may be busy).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.report import artifact_rows, floor_rows, format_table, plot, start_rows, terraform_rows
from bench.startup import DirectoryServers, make_cold, measure_import_floor, measure_starts
from bench.terraform_runs import CommandTimes, measure, terraform_env
from devtools import install, release
from devtools.install import install_private, install_wrapper
from devtools.terraform import terraform_command
from emulator.process import EmulatorProcess

API_KEY = "bench-key"
PROJECT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--starts", type=int, default=20, help="provider starts per mode (default 20)")
    parser.add_argument("--rounds", type=int, default=5, help="terraform rounds per mode (default 5)")
    parser.add_argument("--no-terraform", action="store_true", help="skip the terraform runs")
    parser.add_argument("--out", type=Path, default=PROJECT / "bench" / "results")
    args = parser.parse_args(argv)

    started = time.time()
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as scratch:
        root = Path(scratch)
        # A private warm-server directory: other Terraform runs on this machine (tests, demos)
        # must not start or share the server this benchmark stops for its cold starts.
        os.environ["SEVALLA_PROVIDER_WARM_DIR"] = str(root / "warm")
        cli_config = install_private(root / "mirror", root / "terraformrc")
        wrapper = install_wrapper((root / "mirror").resolve())
        print("… the release artifact (built once per inputs)", file=sys.stderr, flush=True)
        built = release.cached_build()
        artifact_mirror = (root / "artifact-mirror").resolve()
        package = artifact_mirror / install.HOSTNAME / install.NAMESPACE / install.TYPE
        package = package / built.version / release.this_platform()
        zip_bytes = built.zip.stat().st_size  # now: a build for other inputs replaces this one
        artifact = release.unpack(built.zip, package)
        unpacked = sum(path.stat().st_size for path in package.rglob("*") if path.is_file())
        artifact_config = root / "artifact-terraformrc"
        artifact_config.write_text(install.cli_config_text(artifact_mirror))
        artifact_warm = {"SEVALLA_PROVIDER_WARM_DIR": str(root / "warm-artifact")}
        artifact_servers = DirectoryServers(root / "warm-artifact")
        with EmulatorProcess(db_path=root / "emulator.db", api_key=API_KEY, rate_limits_enabled=False) as emu:
            api = (emu.url, API_KEY)
            starts: dict[str, list[Any]] = {}
            no_wait = {"SEVALLA_PROVIDER_WARM_WAIT": "0"}
            plan: list[tuple[str, str, bool, dict[str, str]]] = [
                ("stock, cold", "stock", True, {}),
                ("stock, warm", "stock", False, {}),
                # The alternative design: a normal start beside the new server (not waiting for it).
                ("launcher, cold, no wait", "launcher", True, no_wait),
                ("launcher, cold", "launcher", True, {}),
                ("launcher, warm", "launcher", False, {}),
            ]
            for label, mode, cold, extra_env in plan:
                print(f"… {label}: {args.starts} starts", file=sys.stderr, flush=True)
                starts[label] = measure_starts(
                    wrapper,
                    mode=mode,
                    cold=cold,
                    count=args.starts,
                    project=PROJECT,
                    api=api,
                    extra_env=extra_env,
                )
            for label, cold in (("artifact, cold", True), ("artifact, warm", False)):
                print(f"… {label}: {args.starts} starts", file=sys.stderr, flush=True)
                starts[label] = measure_starts(
                    artifact,
                    mode="launcher",
                    cold=cold,
                    count=args.starts,
                    project=PROJECT,
                    api=api,
                    extra_env=artifact_warm,
                    servers=artifact_servers,
                    roots=[package],
                )
            floors = {
                label: measure_import_floor(PROJECT, cold=cold, count=args.starts)
                for label, cold in (("cold", True), ("warm", False))
            }
            runs: dict[str, CommandTimes] = {}
            if not args.no_terraform:
                for label, warm in (("stock", False), ("launcher", True)):
                    print(f"… terraform, {label}: {args.rounds} rounds", file=sys.stderr, flush=True)
                    env = terraform_env(cli_config, emu.url, API_KEY, warm)
                    runs[label] = measure(
                        root / f"tf-{label}", env, args.rounds, cold_plan=lambda: make_cold(PROJECT)
                    )
                print(f"… terraform, artifact: {args.rounds} rounds", file=sys.stderr, flush=True)
                env = terraform_env(artifact_config, emu.url, API_KEY, True) | artifact_warm
                runs["artifact"] = measure(
                    root / "tf-artifact",
                    env,
                    args.rounds,
                    cold_plan=lambda: make_cold(PROJECT, artifact_servers, [package]),
                )
            artifact_servers.stop()

    rows = start_rows(starts) + floor_rows(floors) + terraform_rows(runs) + artifact_rows(zip_bytes, unpacked)
    print()
    print(
        f"terraform-provider-sevalla start-up benchmark ({platform.node()}, {time.strftime('%Y-%m-%d %H:%M')})"
    )
    print(f"terraform: {' '.join(terraform_command())}; Python {platform.python_version()}")
    print(
        "cold = no warm server (launcher) and the venv, sources and stdlib dropped from the page cache\n"
        "(fadvise DONTNEED; pages other processes map stay); warm = a warm server up, page cache warm.\n"
        "Each start: handshake, GetProviderSchema, ConfigureProvider, ReadDataSource(sevalla_clusters),\n"
        "Shutdown. terraform: one sevalla_application vs one terraform_data, same rounds, median ratio."
    )
    print()
    print(format_table(rows))
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "startup.json").write_text(
        json.dumps(
            {
                "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
                "seconds": round(time.time() - started, 1),
                "starts": {k: [dataclasses.asdict(s) for s in v] for k, v in starts.items()},
                "import_floor_s": floors,
                "terraform": {k: dataclasses.asdict(v) for k, v in runs.items()},
                "table": [dataclasses.asdict(r) for r in rows],
                "medians": {k: statistics.median(s.handshake_s for s in v) for k, v in starts.items()},
            },
            indent=1,
        )
    )
    plot(starts, runs, args.out / "startup.png")
    print(f"\nwrote {args.out / 'startup.json'} and {args.out / 'startup.png'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
