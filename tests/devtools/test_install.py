"""The wrapper Terraform executes: the warm launcher by default, pyvider's script when switched off."""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from devtools.install import install_private, install_wrapper, launcher_path, provider_script
from warm import launcher


def test_wrapper_runs_the_launcher_and_can_be_switched_off(tmp_path: Path) -> None:
    wrapper = install_wrapper(tmp_path / "mirror")
    assert wrapper.name == "terraform-provider-sevalla_v0.1.0"
    assert os.access(wrapper, os.X_OK)
    text = wrapper.read_text()
    assert shlex.join(launcher.command(sys.executable)) in text
    assert str(launcher_path().parent) in text
    assert '--argv0 "$0"' in text
    assert f'exec {provider_script()} "$@" ;;' in text  # SEVALLA_PROVIDER_WARM=0
    assert launcher_path().exists()


def test_private_install_writes_a_cli_config(tmp_path: Path) -> None:
    config = install_private(tmp_path / "mirror", tmp_path / "terraformrc")
    assert str((tmp_path / "mirror").resolve()) in config.read_text()


def run_wrapper(wrapper: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PYTEST"))}
    environment.update(env)
    return subprocess.run([str(wrapper)], env=environment, capture_output=True, text=True, timeout=120)


def test_without_terraform_both_paths_reach_pyvider(tmp_path: Path) -> None:
    """No magic cookie (a human ran it): pyvider's interactive help, with and without the switch."""
    wrapper = install_wrapper(tmp_path / "mirror")
    for warm in ("0", "1"):
        result = run_wrapper(wrapper, SEVALLA_PROVIDER_WARM=warm)
        assert result.returncode == 0, result.stderr
        assert "Interactive Mode" in result.stdout


COOKIE = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"  # Terraform's, public


def handshake(wrapper: Path, **env: str) -> list[str]:
    """Start the provider as Terraform would, under a loose umask and asking for TCP; return its
    handshake line's fields (core version|protocol|network|address|grpc|certificate) while it runs,
    with the socket's mode and its directory's mode appended."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PYTEST", "PLUGIN_"))}
    environment.update(TF_PLUGIN_MAGIC_COOKIE=COOKIE, PLUGIN_PROTOCOL_VERSIONS="6", **env)
    environment["PLUGIN_SERVER_TRANSPORTS"] = "tcp"  # a leftover in the user's environment
    process = subprocess.Popen(
        [str(wrapper)], env=environment, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL, text=True, umask=0o000,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        fields = process.stdout.readline().strip().split("|")
        assert len(fields) >= 5, fields
        if fields[2] == "unix":
            fields += [
                oct(os.stat(fields[3]).st_mode & 0o777),
                oct(os.stat(Path(fields[3]).parent).st_mode & 0o777),
            ]
        return fields
    finally:
        process.terminate()
        process.wait(30)


def test_the_plugin_serves_a_private_unix_socket_whatever_the_environment_says(tmp_path: Path) -> None:
    """Never TCP (its TLS verifies no client: any local user could drive the provider), and the
    socket is the user's alone (gRPC would create it 0777 under this umask)."""
    import tempfile

    wrapper = install_wrapper(tmp_path / "mirror")
    warm_dir = Path(tempfile.mkdtemp(prefix="si-", dir="/tmp"))  # short: socket paths are limited
    try:
        stock = handshake(wrapper, SEVALLA_PROVIDER_WARM="0")
        assert stock[1:3] == ["6", "unix"], stock
        assert stock[-2] == "0o700", stock
        warm = handshake(
            wrapper,
            SEVALLA_PROVIDER_WARM_DIR=str(warm_dir),
            SEVALLA_PROVIDER_WARM_WAIT="30",
            SEVALLA_PROVIDER_WARM_IDLE="30",
        )
        assert warm[1:3] == ["6", "unix"], warm
        assert Path(warm[3]).parent == warm_dir, warm  # not /tmp: the launcher's private directory
        assert warm[-2:] == ["0o700", "0o700"], warm
    finally:
        for sock in warm_dir.glob("*.sock"):
            with contextlib.suppress(OSError):
                launcher.ask_server(str(sock), {"op": "stop"})
        shutil.rmtree(warm_dir, ignore_errors=True)


def test_a_wrapper_whose_python_is_gone_says_so_in_one_line(tmp_path: Path) -> None:
    """A moved or deleted venv: one line on stderr naming the file and how to reinstall."""
    gone = tmp_path / "moved-venv" / "bin" / "python"
    wrapper = install_wrapper(tmp_path / "mirror", python=str(gone))
    result = run_wrapper(
        wrapper, TF_PLUGIN_MAGIC_COOKIE="d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
    )
    assert result.returncode == 1
    assert result.stdout == result.stderr  # started by Terraform: its error shows stdout
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f"{gone} is missing" in lines[0]
    assert "terraform-provider-sevalla install" in lines[0]


def test_the_console_script_installs_the_provider(tmp_path: Path) -> None:
    """`terraform-provider-sevalla install` (what a pip or pipx user runs) writes the wrapper."""
    script = provider_script()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("TF_", "PYTEST"))}
    environment["HOME"] = str(tmp_path / "home")
    result = subprocess.run(
        [str(script), "install"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    installed = list((tmp_path / "home" / ".terraform.d" / "plugins").rglob("terraform-provider-sevalla_v*"))
    assert len(installed) == 1
    assert 'use: source = "terraform.local/sevalla/sevalla"' in result.stdout
    assert os.access(installed[0], os.X_OK)
