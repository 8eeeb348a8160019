"""Fixtures of the live suite: the API from the environment, names with the sweep prefix.

Every object is named `tfpsv-live-<random>` (devtools.sweep.PREFIX), so `python -m
devtools.sweep` finds whatever an interrupted run leaves behind; the sweep also runs at the
end of the session.
"""

from __future__ import annotations

import asyncio
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.install import install_private
from devtools.sweep import PREFIX, _main
from provider.settings import DEFAULT_API_URL
from tests.acceptance.terraform import Terraform


def live_environment() -> dict[str, str]:
    """SEVALLA_API_KEY and SEVALLA_API_URL of the run; stops the session unless it is enabled."""
    key = os.environ.get("SEVALLA_API_KEY", "")
    if os.environ.get("SEVALLA_LIVE") != "1" or not key:
        pytest.exit("the live suite needs SEVALLA_LIVE=1 and SEVALLA_API_KEY (see README, Live API tests)", 2)
    return {"SEVALLA_API_KEY": key, "SEVALLA_API_URL": os.environ.get("SEVALLA_API_URL") or DEFAULT_API_URL}


def pytest_sessionstart(session: pytest.Session) -> None:
    live_environment()


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if os.environ.get("SEVALLA_LIVE") == "1" and os.environ.get("SEVALLA_API_KEY"):
        for line in asyncio.run(_main(PREFIX, False, {**os.environ, **live_environment()})):
            print(f"\nsweep: deleted leftover {line}")


@pytest.fixture
def live_name() -> str:
    """A fresh name the sweeper recognises: tfpsv-live-<8 hex digits>."""
    return PREFIX + secrets.token_hex(4)


@pytest.fixture(scope="session")
def live_env() -> dict[str, str]:
    return live_environment()


@pytest.fixture(scope="session")
def cli_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("provider")
    return install_private(root / "mirror", root / "terraformrc")


@pytest.fixture
def tf(tmp_path: Path, cli_config: Path, live_env: dict[str, str]) -> Iterator[Terraform]:
    """Real Terraform on the live API; whatever the test leaves in its state is destroyed."""
    terraform = Terraform(
        tmp_path / "tf",
        {
            "TF_CLI_CONFIG_FILE": str(cli_config),
            **live_env,
            "SEVALLA_DISK_CACHE_DIR": str(tmp_path / "disk-cache"),
        },
    )
    yield terraform
    if terraform.initialized and (tmp_path / "tf" / "terraform.tfstate").exists() and terraform.state():
        terraform.destroy()
