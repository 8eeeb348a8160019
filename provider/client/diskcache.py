"""Second cache level, on disk: full top-level objects shared by the provider processes of
one Terraform run (Terraform starts the provider 3-5 times per command).

A full object is only used when the summary list shows the same `updated_at` and `status`,
so a stale entry costs one GET, never a wrong value. Safety:
- a per-user directory, mode 0700, refused if another user owns it or it is group/world-open;
- one subdirectory per (API URL, API key), named by a hash of both;
- entries encrypted and authenticated (AES-GCM) with a key derived from the API key: no secret
  (bucket keys, hostnames) is written in clear, and entries of another key do not decrypt;
- entries older than `cache_ttl` are ignored and removed;
- file work runs in a thread, off the event loop.
Turn it off with SEVALLA_DISK_CACHE=false, or with SEVALLA_CACHE_ENABLED=false (which turns off
both levels).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import os
import stat
import time
from pathlib import Path
from typing import Any

from provider.client.sealing import Sealer

log = logging.getLogger("sevalla.client")


def default_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "terraform-provider-sevalla"


def cache_root() -> Path:
    """SEVALLA_DISK_CACHE_DIR, else the per-user default: also home of the create journal."""
    configured = os.environ.get("SEVALLA_DISK_CACHE_DIR")
    return Path(configured) if configured else default_root()


def private_directory(path: Path) -> bool:
    """Create `path` (0700) or accept it only if it is ours and closed to others."""
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = path.stat()
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)


class DiskCache:
    def __init__(self, root: Path, api_url: str, api_key: str, ttl: float) -> None:
        digest = hashlib.sha256(f"{api_url}\0{api_key}".encode()).hexdigest()
        self._root = root
        self._dir = root / digest[:32]
        self._sealer = Sealer.derived("disk cache", api_key)
        self._ttl = ttl
        self._usable: bool | None = None  # checked once, in a thread, on first use

    @classmethod
    def from_environment(cls, api_url: str, api_key: str, ttl: float) -> DiskCache | None:
        if os.environ.get("SEVALLA_DISK_CACHE", "true").strip().lower() in ("0", "false", "no", "off"):
            return None
        return cls(cache_root(), api_url, api_key, ttl) if ttl > 0 else None

    def _check(self) -> bool:
        usable = private_directory(self._root) and private_directory(self._dir)
        if not usable:
            log.warning(f"disk cache off: {self._root} is not a private directory of this user")
        return usable

    async def usable(self) -> bool:
        if self._usable is None:
            self._usable = await asyncio.to_thread(self._check)
        return self._usable

    def _file(self, collection: str, object_id: str) -> Path:
        name = hashlib.sha256(f"{collection}/{object_id}".encode()).hexdigest()[:40]
        return self._dir / f"{collection}.{name}"

    # --- blocking parts, run in a thread ---------------------------------------------------------

    def _load(self, collection: str, object_id: str) -> dict[str, Any] | None:
        path = self._file(collection, object_id)
        try:
            record = self._sealer.open(collection, path.read_bytes())
        except OSError:
            return None
        if record is None:
            return None
        if time.time() - record.get("written_at", 0) > self._ttl or record.get("id") != object_id:
            path.unlink(missing_ok=True)
            return None
        body: dict[str, Any] = record["body"]
        return body

    def _store(self, collection: str, object_id: str, body: dict[str, Any]) -> None:
        sealed = self._sealer.seal(collection, {"id": object_id, "written_at": time.time(), "body": body})
        path = self._file(collection, object_id)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(sealed)
            os.replace(temporary, path)
        except OSError as exc:
            log.debug(f"disk cache: could not store an entry: {exc}")

    def _forget(self, collection: str, object_id: str) -> None:
        self._file(collection, object_id).unlink(missing_ok=True)

    def _count(self, collection: str) -> int:
        try:
            return sum(1 for path in self._dir.iterdir() if path.name.startswith(collection + "."))
        except OSError:
            return 0

    # --- async face ------------------------------------------------------------------------------

    async def load(self, collection: str, object_id: str) -> dict[str, Any] | None:
        if not await self.usable():
            return None
        return await asyncio.to_thread(self._load, collection, object_id)

    async def store(self, collection: str, object_id: str, body: dict[str, Any]) -> None:
        if await self.usable():
            await asyncio.to_thread(self._store, collection, object_id, body)

    async def forget(self, collection: str, object_id: str) -> None:
        if await self.usable():
            await asyncio.to_thread(self._forget, collection, object_id)

    async def count(self, collection: str) -> int:
        """How many objects of this kind the cache holds (a previous process read or wrote them)."""
        if not await self.usable():
            return 0
        return await asyncio.to_thread(self._count, collection)
