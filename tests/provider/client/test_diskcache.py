from __future__ import annotations

import asyncio
import os
import stat
from pathlib import Path

from provider.client.diskcache import DiskCache

BODY = {"id": "b1", "updated_at": "t1", "status": "ready", "secret_key": "very-secret-bucket-key"}


async def test_round_trip_and_count(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", "https://api", "key-1", ttl=60)
    assert await cache.usable()
    await cache.store("object-storage", "b1", BODY)
    assert await cache.load("object-storage", "b1") == BODY
    assert await cache.count("object-storage") == 1 and await cache.count("applications") == 0
    await cache.forget("object-storage", "b1")
    assert await cache.load("object-storage", "b1") is None


async def test_directory_is_private_and_entries_are_encrypted(tmp_path: Path) -> None:
    root = tmp_path / "c"
    cache = DiskCache(root, "https://api", "key-1", ttl=60)
    await cache.store("object-storage", "b1", BODY)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    files = [p for p in root.rglob("*") if p.is_file()]
    assert len(files) == 1 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    raw = files[0].read_bytes()
    assert b"very-secret-bucket-key" not in raw and b"key-1" not in raw


async def test_another_key_cannot_read_and_does_not_share(tmp_path: Path) -> None:
    root = tmp_path / "c"
    await DiskCache(root, "https://api", "key-1", ttl=60).store("applications", "a", {"id": "a"})
    other = DiskCache(root, "https://api", "key-2", ttl=60)
    assert await other.load("applications", "a") is None


async def test_old_entries_are_ignored(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "c", "https://api", "k", ttl=0.2)
    await cache.store("applications", "a", {"id": "a"})
    await asyncio.sleep(0.3)
    assert await cache.load("applications", "a") is None


async def test_refuses_a_directory_others_can_open(tmp_path: Path) -> None:
    root = tmp_path / "shared"
    root.mkdir()
    os.chmod(root, 0o777)
    cache = DiskCache(root, "https://api", "k", ttl=60)
    assert not await cache.usable()
    await cache.store("applications", "a", {"id": "a"})
    assert await cache.load("applications", "a") is None and not any(root.iterdir())


def test_can_be_turned_off(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("SEVALLA_DISK_CACHE_DIR", str(tmp_path / "c"))
    assert DiskCache.from_environment("https://api", "k", 60) is not None
    monkeypatch.setenv("SEVALLA_DISK_CACHE", "false")
    assert DiskCache.from_environment("https://api", "k", 60) is None
