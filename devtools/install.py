"""Install the provider where Terraform looks for it, and write a CLI config that finds it.

The provider is a Python program, so what Terraform executes is a small shell wrapper. It
`exec`s the warm launcher (`warm/launcher.py`, see `warm.launcher.command`), which gets a provider
process forked from a warm server, or starts one normally; with `SEVALLA_PROVIDER_WARM=0` it
`exec`s this virtual environment's `terraform-provider-sevalla` console script (stock pyvider).

    terraform-provider-sevalla install        (= python -m devtools.install --user)
        wrapper into ~/.terraform.d/plugins (Terraform's implied local mirror), so a plain
        `terraform init` finds `terraform.local/sevalla/sevalla`.
    python -m devtools.install --mirror DIR --cli-config FILE
        wrapper into a private filesystem mirror, plus a CLI config (TF_CLI_CONFIG_FILE)
        that uses it: what the tests, `make demo` and the benchmarks do.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
from pathlib import Path

from provider.version import VERSION
from warm import launcher

HOSTNAME = "terraform.local"
NAMESPACE = "sevalla"
TYPE = "sevalla"
SOURCE = f"{HOSTNAME}/{NAMESPACE}/{TYPE}"
# What a configuration needs so that Terraform looks for this provider (tests, benchmarks).
REQUIRED_PROVIDERS = (
    f'terraform {{\n  required_providers {{\n    sevalla = {{ source = "{SOURCE}" }}\n  }}\n}}\n'
)


def target_platform() -> str:
    machine = platform.machine().lower()
    arch = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}.get(machine, machine)
    return f"{sys.platform.replace('linux2', 'linux')}_{arch}"


def provider_script() -> Path:
    """The console script of the running virtual environment."""
    return Path(sys.executable).parent / "terraform-provider-sevalla"


def launcher_path() -> Path:
    """The warm launcher (standard library only), next to the provider's sources."""
    return Path(__file__).resolve().parent.parent / "warm" / "launcher.py"


REINSTALL = (
    "reinstall: terraform-provider-sevalla install (after pipx/pip install terraform-provider-sevalla), "
    "or make install-provider in a clone; teams: use the registry or mirror (README, Install)"
)


def wrapper_text(python: str | None = None) -> str:
    """The wrapper. First it checks that what it runs is still there: a moved or deleted venv
    would otherwise show in Terraform only as "Failed to read any lines from plugin's stdout"."""
    python = python or sys.executable
    script = shlex.quote(str(Path(python).parent / "terraform-provider-sevalla"))
    launch = shlex.join(launcher.command(python))
    needed = " ".join(shlex.quote(str(path)) for path in (python, launcher_path()))
    return (
        "#!/bin/sh\n"
        "# terraform-provider-sevalla: runs the Python provider from its virtual environment.\n"
        f"for f in {needed}; do\n"
        '  if [ ! -e "$f" ]; then\n'
        f'    m="terraform-provider-sevalla {VERSION}: $f is missing (the Python environment this '
        f'provider was installed from moved or was deleted); {REINSTALL}"\n'
        '    echo "$m" >&2\n'
        # Terraform shows only a plugin's stdout in its error ("Unrecognized remote plugin message").
        '    if [ -n "$TF_PLUGIN_MAGIC_COOKIE" ]; then echo "$m"; fi\n'
        "    exit 1\n"
        "  fi\n"
        "done\n"
        "export PYVIDER_PROVIDER_NAME=sevalla\n"
        # The plugin's gRPC endpoint: a Unix socket only the user can connect to. pyvider would
        # serve TCP if PLUGIN_SERVER_TRANSPORTS said so (reachable by every local user, its TLS
        # verifies no client), and gRPC creates the socket with the umask's mode (0775 under
        # umask 002). Files the provider writes itself are private anyway (cache, journal, logs).
        "umask 077\n"
        "export PLUGIN_SERVER_TRANSPORTS=unix\n"
        # The one protocol served (tfprotov6); unset, pyvider offers 1-7 and warns at every start.
        "export SUPPORTED_PROTOCOL_VERSIONS=6\n"
        # The Terraform process that started this provider: groups the metrics lines of one command.
        'export SEVALLA_TERRAFORM_PID="$PPID"\n'
        # pyvider's own logs: warnings unless asked, and never below INFO: its DEBUG lines print
        # planned values, sensitive ones included.
        'PYVIDER_LOG_LEVEL="${SEVALLA_PROVIDER_LOG_LEVEL:-WARNING}"\n'
        'case "$PYVIDER_LOG_LEVEL" in [DdTt]*) PYVIDER_LOG_LEVEL=INFO ;; esac\n'
        "export PYVIDER_LOG_LEVEL\n"
        # provide.foundation's levels decide what pyvider's logger emits (set here whatever the
        # environment says, so nothing opens DEBUG); it drops calls for free only below its
        # lowest level in use, and its default `asyncio:INFO` is lower than WARNING.
        'export PROVIDE_LOG_LEVEL="$PYVIDER_LOG_LEVEL"\n'
        'export PROVIDE_LOG_MODULE_LEVELS="asyncio:$PYVIDER_LOG_LEVEL"\n'
        "# SEVALLA_PROVIDER_WARM=0: no warm server, no launcher -- pyvider's own console script.\n"
        'case "${SEVALLA_PROVIDER_WARM:-1}" in\n'
        f'  0|false|False|FALSE|no|No|NO|off|Off|OFF) exec {script} "$@" ;;\n'
        "esac\n"
        f"exec {launch}"
        f' --version {shlex.quote(VERSION)} --script {script} --argv0 "$0" -- "$@"\n'
    )


def install_wrapper(mirror: Path, python: str | None = None) -> Path:
    """Write the wrapper in the unpacked mirror layout; returns its path."""
    directory = mirror / HOSTNAME / NAMESPACE / TYPE / VERSION / target_platform()
    directory.mkdir(parents=True, exist_ok=True)
    wrapper = directory / f"terraform-provider-{TYPE}_v{VERSION}"
    wrapper.write_text(wrapper_text(python))
    wrapper.chmod(0o755)
    return wrapper


def cli_config_text(mirror: Path, plugin_cache: Path | None = None) -> str:
    cache = f'plugin_cache_dir = "{plugin_cache}"\n' if plugin_cache else ""
    return (
        f"{cache}"
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f'    path    = "{mirror}"\n'
        f'    include = ["{HOSTNAME}/*/*"]\n'
        "  }\n"
        "  direct {\n"
        f'    exclude = ["{HOSTNAME}/*/*"]\n'
        "  }\n"
        "}\n"
    )


def install_private(mirror: Path, cli_config: Path) -> Path:
    mirror = mirror.resolve()
    install_wrapper(mirror)
    cli_config.parent.mkdir(parents=True, exist_ok=True)
    cli_config.write_text(cli_config_text(mirror))
    return cli_config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--user", action="store_true", help="install into ~/.terraform.d/plugins")
    parser.add_argument("--mirror", type=Path, help="private filesystem mirror directory")
    parser.add_argument("--cli-config", type=Path, help="CLI config file to write (with --mirror)")
    args = parser.parse_args(argv)
    if args.user:
        wrapper = install_wrapper(Path(os.path.expanduser("~/.terraform.d/plugins")))
        print(f'installed {wrapper}\nuse: source = "{SOURCE}"')
    if args.mirror:
        cli_config = args.cli_config or args.mirror / "terraformrc"
        install_private(args.mirror, cli_config)
        print(f"mirror {args.mirror.resolve()}\nexport TF_CLI_CONFIG_FILE={cli_config.resolve()}")
    if not (args.user or args.mirror):
        parser.error("choose --user or --mirror DIR")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
