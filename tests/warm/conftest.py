"""Warm-server tests bind Unix sockets, whose paths may hold at most 107 bytes: pytest's
tmp_path under xdist workers is longer than that allows, so the socket directory is a short
one of its own."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def short_dir() -> Iterator[Path]:
    directory = Path(tempfile.mkdtemp(prefix="sw-", dir="/tmp"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)
