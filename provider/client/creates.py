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
from provider.client.kinds import Ref

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


def open_record() -> tuple[CreateRecord, contextvars.Token[CreateRecord | None]]:
    record = CreateRecord()
    return record, _current.set(record)


def close_record(token: contextvars.Token[CreateRecord | None]) -> None:
    _current.reset(token)


def note_made(made: dict[str, Any]) -> bool:
    """Hand a create's answer to the RPC's record. True when the record takes it (the first
    object of a create RPC): its journal entry then stays open until the state is returned."""
    record = _current.get()
    if record is None or record.made is not None:
        return False
    record.made = made
    return True


def forget_made() -> None:
    """The RPC's object was deleted again (an API key without its token): nothing to keep."""
    record = _current.get()
    if record is not None:
        record.made = None


def keep_entry(entry: JournalEntry) -> None:
    """Leave the journal entry of the RPC's object open until the RPC returns its state."""
    record = _current.get()
    if record is not None:
        record.entries.append(entry)


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
        self._left: dict[str, list[JournalEntry]] = {}

    @classmethod
    def from_environment(cls, api_url: str, api_key: str) -> CreateJournal:
        return cls(cache_root(), api_url, api_key)

    def identity(self, collection: Ref, match: dict[str, Any]) -> str:
        """The kind, the parents' ids and the identifying values: what one create makes."""
        text = json.dumps([collection.kind.name, list(collection.ids), match], sort_keys=True, default=str)
        return hmac.new(self._key, text.encode(), hashlib.sha256).hexdigest()[:40]

    def _check(self) -> bool:
        usable = all(private_directory(path) for path in (self._root, self._dir.parent, self._dir))
        if not usable:
            log.warning(f"create journal off: {self._root} is not a private directory of this user")
        return usable

    def _open(self) -> bool:
        if not self._check():
            return False
        self._left = self._scan()
        return True

    async def _ready(self) -> bool:
        """The directory checked and scanned once, in a thread, at the first create."""
        if self._usable is None:
            self._usable = await asyncio.to_thread(self._open)
        return self._usable

    # --- file work, in a thread ----------------------------------------------------------------

    def _write(self, entry: JournalEntry) -> None:
        data = {"identity": entry.identity, "started": entry.started, "pid": entry.pid, "id": entry.object_id}
        temporary = entry.file.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        os.replace(temporary, entry.file)

    def _scan(self) -> dict[str, list[JournalEntry]]:
        """Entries whose process is gone, by identity, newest first; expired ones removed.

        Read once per process, at its first create: what earlier runs left behind does not
        change while this one runs (and this process's own entries are never adopted)."""
        found: dict[str, list[JournalEntry]] = {}
        for file in self._dir.glob("*.json"):
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
                found.setdefault(entry.identity, []).append(entry)
        for entries in found.values():
            entries.sort(key=lambda entry: entry.started, reverse=True)
        return found

    # --- what the client calls ---------------------------------------------------------------

    async def abandoned(self, collection: Ref, match: dict[str, Any]) -> list[JournalEntry]:
        """Entries of this identity left by a process that died (each handed out once)."""
        if not await self._ready():
            return []
        return self._left.pop(self.identity(collection, match), [])

    async def begin(self, collection: Ref, match: dict[str, Any]) -> JournalEntry | None:
        if not await self._ready():
            return None
        identity = self.identity(collection, match)
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
