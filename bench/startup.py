"""Provider starts, by mode: stock pyvider vs the warm launcher, each cold and warm.

- `stock`: `SEVALLA_PROVIDER_WARM=0`, the wrapper execs pyvider's console script (the "before").
- `launcher`: the default wrapper; warm = a warm server is up, cold = none is (the launcher
  starts the provider normally and spawns a server in the background, as after a boot or an
  upgrade).

"Cold" also drops this project's files from the page cache first: every file of the virtual
environment, the provider's sources and the Python standard library gets
`posix_fadvise(DONTNEED)`, so imports read from disk again (pages that other running processes
have mapped -- shared libraries of other Python processes -- stay resident; dropping the whole
system's cache needs root and would disturb everything else on the machine). Bytecode is not
deleted: pip compiles it at install time, so a first start after an upgrade has it too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path

from bench.probe import StartSample, client_certificate_pem, plugin_environment, start_once
from provider.version import VERSION
from warm import launcher


def evict_page_cache(roots: Iterable[Path]) -> int:
    """fadvise(DONTNEED) every regular file below `roots`; returns how many files were dropped."""
    count = 0
    for root in roots:
        for directory, _dirs, files in os.walk(root):
            for name in files:
                try:
                    fd = os.open(os.path.join(directory, name), os.O_RDONLY | os.O_NOFOLLOW)
                except OSError:
                    continue
                try:
                    os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
                    count += 1
                except OSError:
                    pass
                finally:
                    os.close(fd)
    return count


def cold_roots(project: Path) -> list[Path]:
    stdlib = Path(sys.base_prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return [Path(launcher.venv_dir()), stdlib, *(project / name for name in launcher.SOURCE_PACKAGES)]


class WarmServers:
    """The warm server for the current sources: find, wait for, stop."""

    def __init__(self) -> None:
        self.directory = launcher.runtime_dir()

    @property
    def path(self) -> str:
        return launcher.socket_path(self.directory, launcher.server_key(VERSION))

    def status(self) -> dict | None:
        try:
            return launcher.ask_server(self.path, {"op": "status"}, timeout=2)
        except (OSError, EOFError, ValueError):
            return None

    def wait_ready(self, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status is not None:
                return status
            time.sleep(0.05)
        raise RuntimeError(f"no warm server at {self.path} after {timeout:.0f}s")

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the server (waiting for one that is still starting), and wait until it is gone."""
        key = launcher.server_key(VERSION)
        if not launcher.server_starting(self.directory, key):
            return
        status = self.wait_ready(timeout)
        launcher.ask_server(self.path, {"op": "stop"}, timeout=2)
        deadline = time.monotonic() + timeout
        while Path(f"/proc/{status['pid']}").exists() and time.monotonic() < deadline:
            time.sleep(0.01)


class DirectoryServers:
    """Every warm server in one private directory: the release artifact's, whose key is made
    inside the artifact (its bundled interpreter and executable), so it is found by directory."""

    def __init__(self, directory: Path) -> None:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.directory = str(directory)

    def keys(self) -> list[str]:
        return sorted(path.stem for path in Path(self.directory).glob("*.lock"))

    def status(self) -> dict | None:
        for key in self.keys():
            try:
                return launcher.ask_server(
                    launcher.socket_path(self.directory, key), {"op": "status"}, timeout=2
                )
            except (OSError, EOFError, ValueError):
                continue
        return None

    def wait_ready(self, timeout: float = 20.0) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.status()
            if status is not None:
                return status
            time.sleep(0.05)
        raise RuntimeError(f"no warm server in {self.directory} after {timeout:.0f}s")

    def stop(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        for key in self.keys():
            if not launcher.server_starting(self.directory, key):
                continue
            while time.monotonic() < deadline:
                try:
                    launcher.ask_server(launcher.socket_path(self.directory, key), {"op": "stop"}, timeout=2)
                    break
                except (OSError, EOFError, ValueError):  # still starting: no socket yet
                    time.sleep(0.05)
            while launcher.server_starting(self.directory, key) and time.monotonic() < deadline:
                time.sleep(0.01)


def measure_starts(
    wrapper: Path,
    *,
    mode: str,
    cold: bool,
    count: int,
    project: Path,
    api: tuple[str, str] | None,
    extra_env: dict[str, str] | None = None,
    servers: WarmServers | DirectoryServers | None = None,
    roots: list[Path] | None = None,
) -> list[StartSample]:
    """`roots`: what a cold start drops from the page cache (default: the venv, stdlib, sources)."""
    env = plugin_environment(client_certificate_pem())
    env["SEVALLA_PROVIDER_WARM"] = "0" if mode == "stock" else "1"
    env.update(extra_env or {})
    servers = servers or WarmServers()
    samples = []
    if mode == "launcher" and not cold:
        start_once([str(wrapper)], env, api=api)  # spawns the server if there is none
        servers.wait_ready()
    for _ in range(count):
        if cold:
            make_cold(project, servers, roots)
        samples.append(start_once([str(wrapper)], env, api=api))
    if cold and mode == "launcher":
        servers.wait_ready()  # leave no half-started server behind
    return samples


def make_cold(
    project: Path,
    servers: WarmServers | DirectoryServers | None = None,
    roots: list[Path] | None = None,
) -> None:
    """As after a boot: no warm server, this project's files out of the page cache."""
    (servers or WarmServers()).stop()
    evict_page_cache(roots if roots is not None else cold_roots(project))


# What any pyvider provider imports before it can answer: pyvider's CLI, server and protocol
# handlers, and gRPC -- none of this project's code.
FLOOR_IMPORTS = (
    "import grpc.aio, pyvider.cli.__main__, pyvider.cli.provide_command, pyvider.rpcplugin.server, "
    "pyvider.protocols.tfprotov6.handlers, pyvider.hub.discovery"
)


def measure_import_floor(project: Path, *, cold: bool, count: int) -> list[float]:
    """From exec to the end of the imports pyvider needs to serve (a line on stdout), for a Python
    process that runs nothing else: the floor of a start not forked from a warm process."""
    samples = []
    for _ in range(count):
        if cold:
            make_cold(project)
        started = time.perf_counter()
        with subprocess.Popen(
            [sys.executable, "-P", "-c", f"{FLOOR_IMPORTS}; print('imported', flush=True)"],
            stdout=subprocess.PIPE,
            cwd="/",
            text=True,
        ) as process:
            assert process.stdout is not None
            line = process.stdout.readline()
            samples.append(time.perf_counter() - started)
            if process.wait(120) != 0 or line.strip() != "imported":
                raise RuntimeError("the import-floor process failed")
    return samples
