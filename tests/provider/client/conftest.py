"""Every client test keeps its kept copies and create journal in its own directory."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_disk_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEVALLA_DISK_CACHE_DIR", str(tmp_path / "disk"))
