"""The provider's version is pyproject.toml's, and it is the one the provider reports."""

from __future__ import annotations

import tomllib
from pathlib import Path

from provider.provider import SevallaProvider, user_agent
from provider.version import VERSION

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_pyprojects() -> None:
    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"] == VERSION


def test_the_provider_reports_it() -> None:
    assert SevallaProvider().metadata.version == VERSION
    assert user_agent().startswith(f"terraform-provider-sevalla/{VERSION} terraform/")
