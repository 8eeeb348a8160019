"""Find the provider processes of a running Terraform from /proc (Linux), to kill them mid-apply.

What Terraform starts is the wrapper devtools.install writes, which `exec`s either the warm
launcher (warm/launcher.py) or, with SEVALLA_PROVIDER_WARM=0, pyvider's console script. So the
*plugin process* is a direct child of Terraform. With the warm launcher the provider itself is a
child of the warm server, not of Terraform; the server dup2()s the launcher's stdin/stdout/stderr
onto it (warm/server.py `run_for_launcher`), so it is the other process whose stdout is the same
pipe as the launcher's. Without a warm server the plugin process is the provider.
"""

from __future__ import annotations

import os
from pathlib import Path

import attrs

PROC = Path("/proc")


@attrs.frozen
class Plugin:
    plugin_pid: int  # Terraform's direct child: the launcher, or the provider without one
    provider_pids: tuple[int, ...]  # the processes that run the provider's code

    @property
    def warm(self) -> bool:
        return self.provider_pids != (self.plugin_pid,)


def _pids() -> list[int]:
    return [int(entry.name) for entry in PROC.iterdir() if entry.name.isdigit()]


def parent_of(pid: int) -> int | None:
    try:
        stat = (PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split after the last ")".
    return int(stat.rsplit(")", 1)[1].split()[1])


def cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _stdout_target(pid: int) -> str | None:
    try:
        return os.readlink(PROC / str(pid) / "fd" / "1")
    except OSError:
        return None


def children(pid: int) -> list[int]:
    return [child for child in _pids() if parent_of(child) == pid]


def sevalla_plugins(terraform_pid: int) -> list[Plugin]:
    """The provider plugins this Terraform runs now (usually one during an apply)."""
    plugins = []
    for child in children(terraform_pid):
        command = cmdline(child)
        if (
            "launcher" not in command
            and "terraform-provider-sevalla" not in command
            and "warm" not in command
        ):
            continue
        stdout = _stdout_target(child)
        sharing = (
            tuple(pid for pid in _pids() if pid != child and _stdout_target(pid) == stdout)
            if stdout is not None and stdout.startswith("pipe:")
            else ()
        )
        plugins.append(Plugin(child, sharing or (child,)))
    return plugins
