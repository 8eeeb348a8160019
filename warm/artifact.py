"""The release artifact's entry: what `terraform-provider-sevalla_v<version>` runs (PyInstaller).

The zip Terraform unpacks holds one executable (PyInstaller's bootloader with this program and
its bundled interpreter) and `_internal/` (the interpreter's libraries, pyvider, the provider).
There is no shell wrapper and no Python on the machine, so this does what the venv install's
wrapper does, in the same process:

- the wrapper's environment (`PYVIDER_PROVIDER_NAME`, log levels no lower than INFO);
- `SEVALLA_PROVIDER_ROLE=warm-server` (set by the launcher when it spawns one): the warm server;
- otherwise the warm launcher (`warm.launcher.main`), whose key includes this artifact's path,
  size and mtime; its normal start runs `warm.entry` in this process, and its stock start
  (`SEVALLA_PROVIDER_WARM=0`, or a human ran it) runs pyvider's CLI.

Kept to the standard library's C modules until it knows a provider must start here: a warm
start only pays for the bootloader, the interpreter and this module.
"""

from __future__ import annotations

import os
import sys

ROLE_VARIABLE = "SEVALLA_PROVIDER_ROLE"
WARM_SERVER_ROLE = "warm-server"
# Written by `devtools.release` into the bundle beside this module; "0" in a source checkout.
try:
    from sevalla_release_info import VERSION  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - only when run from sources
    VERSION = "0"


def set_wrapper_environment() -> None:
    """What the venv wrapper exports (see `devtools.install.wrapper_text`), as Python."""
    os.environ["PYVIDER_PROVIDER_NAME"] = "sevalla"
    # A Unix socket only this user can connect to, and the one protocol served (the wrapper's
    # reasons, devtools.install.wrapper_text).
    os.umask(0o077)
    os.environ["PLUGIN_SERVER_TRANSPORTS"] = "unix"
    os.environ["SUPPORTED_PROTOCOL_VERSIONS"] = "6"
    # The Terraform process that started us (the zip's sh entry exec'd this), for the metrics.
    os.environ["SEVALLA_TERRAFORM_PID"] = str(os.getppid())
    level = os.environ.get("SEVALLA_PROVIDER_LOG_LEVEL", "WARNING") or "WARNING"
    if level[:1] in "DdTt":  # DEBUG/TRACE would print planned values, sensitive ones included
        level = "INFO"
    os.environ["PYVIDER_LOG_LEVEL"] = level
    os.environ["PROVIDE_LOG_LEVEL"] = level
    os.environ["PROVIDE_LOG_MODULE_LEVELS"] = f"asyncio:{level}"


def package_dir() -> str:
    """Where Terraform unpacked the zip: the executable is `<package>/bundle/<name>`."""
    return os.path.dirname(os.path.dirname(os.path.abspath(sys.executable)))


def main() -> None:
    try:
        start()
    except ImportError as error:  # a file of the bundle is gone: one line, not a traceback
        missing = error.name or str(error)
        line = (
            f"terraform-provider-sevalla {VERSION}: cannot import {missing} (this provider package "
            f"is incomplete); reinstall it: rm -rf '{package_dir()}' and run terraform init\n"
        )
        streams = [2, 1] if os.environ.get("TF_PLUGIN_MAGIC_COOKIE") else [2]
        for fd in streams:  # stdout: Terraform shows a plugin's first stdout line in its error
            os.write(fd, line.encode())
        os._exit(1)


def start() -> None:
    set_wrapper_environment()
    if os.environ.pop(ROLE_VARIABLE, "") == WARM_SERVER_ROLE:
        from warm import launcher, server

        launcher.prepare_frozen_interpreter()
        raise SystemExit(server.main(sys.argv[1:]))
    from warm import launcher

    code = launcher.main(["--version", VERSION, "--argv0", sys.argv[0], "--", *sys.argv[1:]])
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
