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
