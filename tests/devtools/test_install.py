"""The wrapper Terraform executes: the warm launcher by default, pyvider's script when switched off."""

from __future__ import annotations

import os
import shlex
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
