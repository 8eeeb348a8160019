"""Creates that are never forgotten and never made twice, whatever interrupts them.

Two records of a create in flight:

- `CreateRecord`, in memory, for the RPC: the resource layer opens one around a create
  (resources/_base.py) and the client fills it as soon as the API answered with the new
  object, so when a later step fails (a wait interrupted or timed out, a PATCH refused) the
  object still goes into the state returned to Terraform, with the error.
- `CreateJournal`, on disk, for a process that dies (killed, machine lost) between the POST
  and Terraform saving the state: one small file per create in flight, written before the
  POST, given the id when the answer comes, removed when the state holding the id is
  returned. The next create with the same identity (the same collection and the fields that
  identify the object: key, name, display name) finds the file of a process that no longer
  runs and adopts that object instead of creating a second one (or failing on a unique key).

Why a journal and not only the API's uniqueness plus creation time: display names are not
unique, so "an object with this name created recently" may be someone else's; the journal
knows it was this machine's create that did not finish. Without the journal (another machine)
a create that meets an existing unique key fails with the `terraform import` that fixes it.

Journal files hold no names or keys in clear (the identity is an HMAC keyed from the API
key), live in the per-user private directory of the disk cache, and expire after a day.
"""

from __future__ import annotations

import asyncio
import contextvars
import hashlib
import hmac
import json
import logging
import os
import time
import uuid
from pathlib import Path
from typing import Any

import attrs

from provider.client.diskcache import cache_root, private_directory

log = logging.getLogger("sevalla.client")

JOURNAL_TTL = 24 * 3600.0


@attrs.frozen
class JournalEntry:
    file: Path
    identity: str
    started: float  # wall clock, to compare with the API's created_at
    pid: int
    object_id: str | None = None


@attrs.define
class CreateRecord:
    """What one create RPC made: the first object the API answered with, and the journal
    entries to close once the state holding it is returned."""

    made: dict[str, Any] | None = None
    entries: list[JournalEntry] = attrs.field(factory=list)


_current: contextvars.ContextVar[CreateRecord | None] = contextvars.ContextVar(
    "sevalla_create_record", default=None
)


def current_record() -> CreateRecord | None:
    return _current.get()


def open_record() -> tuple[CreateRecord, contextvars.Token[CreateRecord | None]]:
    record = CreateRecord()
    return record, _current.set(record)


def close_record(token: contextvars.Token[CreateRecord | None]) -> None:
    _current.reset(token)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class CreateJournal:
    def __init__(self, root: Path, api_url: str, api_key: str) -> None:
        digest = hashlib.sha256(f"{api_url}\0{api_key}".encode()).hexdigest()
        self._root = root
        self._dir = root / digest[:32] / "creates"
        self._key = hashlib.sha256(f"terraform-provider-sevalla create journal\0{api_key}".encode()).digest()
        self._usable: bool | None = None

    @classmethod
    def from_environment(cls, api_url: str, api_key: str) -> CreateJournal:
        return cls(cache_root(), api_url, api_key)

    def identity(self, path: str, match: dict[str, Any]) -> str:
        text = json.dumps([path, match], sort_keys=True, default=str)
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()[:40]

    def _check(self) -> bool:
        usable = all(private_directory(path) for path in (self._root, self._dir.parent, self._dir))
        if not usable:
            log.warning(f"create journal off: {self._root} is not a private directory of this user")
        return usable

    async def _ready(self) -> bool:
        if self._usable is None:
            self._usable = await asyncio.to_thread(self._check)
        return self._usable

    # --- file work, in a thread ----------------------------------------------------------------

    def _write(self, entry: JournalEntry) -> None:
        data = {"identity": entry.identity, "started": entry.started, "pid": entry.pid, "id": entry.object_id}
        temporary = entry.file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, entry.file)

    def _abandoned(self, identity: str) -> list[JournalEntry]:
        """Entries of this identity whose process is gone, newest first; expired ones removed."""
        found = []
        for file in self._dir.glob(f"{identity}-*.json"):
            try:
                data = json.loads(file.read_text())
                entry = JournalEntry(
                    file, data["identity"], float(data["started"]), int(data["pid"]), data["id"]
                )
            except (OSError, ValueError, KeyError, TypeError):
                file.unlink(missing_ok=True)
                continue
            if time.time() - entry.started > JOURNAL_TTL:
                file.unlink(missing_ok=True)
            elif entry.pid != os.getpid() and not _alive(entry.pid):
                found.append(entry)
        return sorted(found, key=lambda entry: entry.started, reverse=True)

    # --- what the client calls ---------------------------------------------------------------

    async def abandoned(self, path: str, match: dict[str, Any]) -> list[JournalEntry]:
        if not await self._ready():
            return []
        return await asyncio.to_thread(self._abandoned, self.identity(path, match))

    async def begin(self, path: str, match: dict[str, Any]) -> JournalEntry | None:
        if not await self._ready():
            return None
        identity = self.identity(path, match)
        entry = JournalEntry(
            self._dir / f"{identity}-{os.getpid()}-{uuid.uuid4().hex[:8]}.json",
            identity,
            time.time(),
            os.getpid(),
        )
        try:
            await asyncio.to_thread(self._write, entry)
        except OSError as exc:
            log.warning(f"create journal: could not write {entry.file}: {exc}")
            return None
        return entry

    async def made(self, entry: JournalEntry, object_id: str) -> JournalEntry:
        done = attrs.evolve(entry, object_id=object_id)
        try:
            await asyncio.to_thread(self._write, done)
        except OSError as exc:
            log.warning(f"create journal: could not write {entry.file}: {exc}")
        return done

    async def end(self, entry: JournalEntry) -> None:
        await asyncio.to_thread(entry.file.unlink, True)
