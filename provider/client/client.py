"""SevallaClient: the one object every handler talks to, in references (kinds.py).

Built in one direction: client -> reader (batching, kept copies) -> requester (one exchange:
cache, rate limits, breaker, retries). The client decides what the catalogue says:

- `read` picks how an object is read from its kind, and is the one place where a 404 (of the
  object, or of the parent it is listed or embedded in) means "gone": None;
- `create` reconciles by the kind: a create with identifying fields is never made twice
  (creates.py), a membership is reconciled by "is it attached?";
- `delete` is the one place where a 404 means "already gone".
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from provider.client.creates import CreateJournal, keep_entry, note_made
from provider.client.errors import ExistingObjectError, NotFoundError, SevallaError, ValidationError
from provider.client.kinds import Read, Ref, Switch
from provider.client.metrics import ClientMetrics
from provider.client.reader import ObjectReader
from provider.client.requester import Requester
from provider.client.retry import backoff, is_ambiguous
from provider.client.waiting import default_deadline, pause

if TYPE_CHECKING:
    from provider.settings import ProviderSettings

log = logging.getLogger("sevalla.client")

# A reconciled create must have been made at most this long before our request (clock skew).
CREATE_CLOCK_SKEW = 120.0


def _says_taken(refusal: ValidationError) -> bool:
    """Whether a 422 says the new object's identity is in use ("key has already been taken")."""
    texts = [refusal.message, refusal.detail or ""] + [m for ms in refusal.fields.values() for m in ms]
    return any("taken" in text.lower() or "already exists" in text.lower() for text in texts)


def _timestamp(value: Any) -> float | None:
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _with_id(items: list[Any], object_id: str | None) -> dict[str, Any] | None:
    """The item with this id; items may be objects or bare ids (a stage's applications)."""
    for item in items:
        if isinstance(item, dict) and item.get("id") == object_id:
            return item
        if isinstance(item, str) and item == object_id:
            return {"id": item}
    return None


class SevallaClient:
    def __init__(self, settings: ProviderSettings, user_agent: str) -> None:
        self.settings = settings
        self.metrics = ClientMetrics()
        self.requester = Requester(settings, user_agent, self.metrics)
        self.reader = ObjectReader(self.requester, settings)
        self.journal = CreateJournal.from_environment(settings.api_url, settings.api_key)
        self._closed = False

    # --- reads ---------------------------------------------------------------------------------

    async def read(self, ref: Ref, *, fresh: bool = False) -> dict[str, Any] | None:
        """The object, or None when it is gone: what a Read, an import or a poll needs.

        The kind says how (`fresh` skips every cache and batch, for polls and reconciliation):
        - a summary-list kind, batching on: the reader (summary lists, kept copies);
        - a child with its own GET, batching on: found in its parent's collection, fetched once
          for all the children of that parent (`applications/A/domains/D` -> `.../domains`);
        - Read.LISTED: found in its collection's list;
        - Read.EMBEDDED: found in its parent's field `embedded_as`;
        - otherwise (and for singletons): its GET.
        """
        try:
            return await self._read(ref, fresh)
        except NotFoundError:
            return None

    async def _read(self, ref: Ref, fresh: bool) -> dict[str, Any] | None:
        kind = ref.kind
        batching = self.settings.batch_enabled and not fresh
        if kind.read is Read.EMBEDDED:
            return self._embedded(ref, await self._embedding(ref, fresh))
        if kind.read is Read.LISTED or (batching and kind.read is Read.GET and kind.parent is not None):
            return _with_id(await self.requester.list_all(ref.collection(), fresh=fresh), ref.id)
        if batching and kind.summary_list:
            hit, value = self.requester.cached(ref)
            return value if hit else await self.reader.read(ref)
        found: dict[str, Any] = await self.reader.get(ref, fresh=fresh)
        return found

    async def _embedding(self, ref: Ref, fresh: bool) -> dict[str, Any] | None:
        """The parent object that embeds `ref` (an object or a collection of an embedded kind):
        its plain GET, shared and cached in memory, never the reader's kept copy (embedded
        children change without the parent's `updated_at`); a parent that is embedded itself
        is found in its own parent."""
        parent = ref.parent
        assert parent is not None, f"{ref.kind} is embedded, so it has a parent"
        if parent.kind.read is Read.EMBEDDED:
            return await self._read(parent, fresh)
        found: dict[str, Any] = await self.reader.get(parent, fresh=fresh)
        return found

    @staticmethod
    def _embedded(ref: Ref, parent: dict[str, Any] | None) -> dict[str, Any] | None:
        kind = ref.kind
        if parent is None:
            return None
        items = parent.get(str(kind.embedded_as))
        if items is None and kind.embedding_optional:
            return {"id": ref.id}  # the parent left the list out: its existence is all we know
        return _with_id(list(items or []), ref.id)

    async def list_all(self, collection: Ref, *, fresh: bool = False) -> list[dict[str, Any]]:
        """Every item of a collection (all pages), shared and cached like any GET unless `fresh`."""
        return await self.requester.list_all(collection, fresh=fresh)

    # --- writes --------------------------------------------------------------------------------

    async def update(self, ref: Ref, body: dict[str, Any]) -> Any:
        """PATCH; the object as it is now (read back where the kind's PATCH answers sparsely)."""
        answer = await self.reader.write("PATCH", ref, body)
        if "PATCH" not in ref.kind.sparse_answers:
            return answer
        found = await self.read(ref, fresh=True)
        return answer if found is None else found

    async def _whole(self, collection: Ref, created: Any) -> Any:
        """A create's answer as the whole object: read back where the kind's POST answers
        sparsely, with the fields returned once (a token) taken from the answer. Called after
        the answer went into the CreateRecord, so a failed read-back still keeps the id."""
        kind = collection.kind
        if "POST" not in kind.sparse_answers or not isinstance(created, dict) or not created.get("id"):
            return created
        found = await self.read(collection.item(str(created["id"])), fresh=True)
        if found is None:
            return created
        return {**found, **{name: created[name] for name in kind.create_only if name in created}}

    async def replace(self, ref: Ref, body: dict[str, Any]) -> Any:
        """PUT."""
        return await self.reader.write("PUT", ref, body)

    async def switch(self, ref: Ref, switch: Switch, wanted: bool) -> Any:
        """POST the route that turns `switch` of the object to `wanted` (suspend, toggle, ...).

        The answer is a message, or an object that may not show the change yet: the caller polls
        the object until it does. A failure is never sent again here (a flip sent twice undoes
        itself): the error goes to the caller, and the next plan reads what the object shows."""
        route = switch.route(wanted)
        if route is None:
            raise ValueError(f"{ref.kind.name}: {switch.field} has no route that turns it {wanted}")
        return await self.reader.write("POST", ref.at(route))

    async def start(self, ref: Ref, operation: str) -> Any:
        """POST one of the kind's operation routes (a database's restart). The answer is a
        message; the caller polls the object. Never sent twice here (a second restart is not
        harmless): a failure goes to the caller."""
        if operation not in ref.kind.operations:
            raise ValueError(f"{ref.kind.name} has no operation {operation!r}")
        return await self.reader.write("POST", ref.at(operation))

    async def delete(
        self, ref: Ref, *, params: dict[str, Any] | None = None, reset_to: dict[str, Any] | None = None
    ) -> None:
        """DELETE; an object that is already gone (404) counts as deleted. `reset_to`: an object
        that cannot be deleted (an IP restriction) is PUT back to this instead."""
        try:
            if reset_to is None:
                await self.reader.write("DELETE", ref, params=params)
            else:
                await self.reader.write("PUT", ref, reset_to)
        except NotFoundError:
            return

    async def create(self, ref: Ref, body: dict[str, Any] | None = None) -> Any:
        """POST to a collection (or to a singleton, which enables it), reconciled by its kind.

        - A membership (`kind.member`): after an ambiguous failure, a refusal because it exists,
          or an earlier create that was interrupted, "is it attached?" is the whole answer.
        - A kind with identifying fields in the body (`kind.match`): never made twice:
          - an object made by an earlier create of this identity that did not finish (its
            process died) is adopted instead;
          - an ambiguous failure, or an answer without an id (only a message), is reconciled:
            found (the newest matching object) -> returned; not there -> tried again;
          - a refusal because the identity is taken names the existing object (ExistingObjectError);
        - otherwise a plain POST (a deployment).
        Any answer with an id goes into the RPC's CreateRecord at once, so the resource can return
        it in its state whatever fails next.
        """
        body = body or {}
        kind = ref.kind
        match = kind.match_of(body) if ref.is_collection else {}
        if kind.member is not None:
            with default_deadline(self.settings.operation_timeout):
                return await self._attach(ref, body)
        if not match:
            answer = await self.reader.write("POST", ref, body)
            if isinstance(answer, dict) and answer.get("id"):
                note_made(answer)  # e.g. a deployment, whose wait may still fail
            return await self._whole(ref, answer)
        with default_deadline(self.settings.operation_timeout):
            adopted = await self._adopt_abandoned(ref, match)
            if adopted is not None:
                note_made(adopted)
                return adopted
            entry = await self.journal.begin(ref, match)
            try:
                created, answered = await self._create(ref, body, match)
            except SevallaError as exc:
                if entry is not None and not is_ambiguous(exc):
                    await self.journal.end(entry)
                raise
        kept = note_made(created)
        if entry is not None and kept:
            keep_entry(await self.journal.made(entry, created["id"]))
        elif entry is not None:
            await self.journal.end(entry)
        return await self._whole(ref, created) if answered else created

    async def _attach(self, ref: Ref, body: dict[str, Any]) -> Any:
        """POST a membership; not attached after an ambiguous failure: tried again, within the
        retry budget."""
        member = body.get(str(ref.kind.member))
        retries = self.settings.retry_attempts
        for attempt in range(1, retries + 2):
            try:
                return await self.reader.write("POST", ref, body)
            except ValidationError:  # perhaps "already attached"
                if await self._attached(ref, member):
                    return None
                raise
            except SevallaError as exc:
                if not is_ambiguous(exc):
                    raise
                if await self._attached(ref, member):
                    return None
                if attempt > retries:
                    raise
                await pause(
                    backoff(attempt, self.settings.retry_delay), f"retrying POST {ref}: nothing was attached"
                )
        return None

    async def _attached(self, collection: Ref, member: Any) -> bool:
        """Is `member` in the parent's embedded list? (a fresh read of the parent)"""
        return isinstance(member, str) and await self.read(collection.item(member), fresh=True) is not None

    async def _create(
        self, ref: Ref, body: dict[str, Any], match: dict[str, Any]
    ) -> tuple[dict[str, Any], bool]:
        """The new object, and whether it is the POST's own answer (True) or one found by the
        reconciliation (already whole)."""
        started = time.time()
        tries_left = self.settings.retry_attempts
        attempt = 0
        while True:
            attempt += 1
            try:
                created: dict[str, Any] = await self.reader.write("POST", ref, body, expect="created")
                return created, True
            except ValidationError as exc:
                existing = await self._find_created(ref, match, 0.0) if _says_taken(exc) else None
                if existing is None:
                    raise
                raise ExistingObjectError(exc, existing_id=str(existing["id"])) from exc
            except SevallaError as exc:
                if not is_ambiguous(exc):
                    raise
                found = await self._find_created(ref, match, started)
                if found is not None:
                    self.metrics.creates_reconciled += 1
                    log.info(f"POST {ref} failed ambiguously ({exc}); the object exists, using it")
                    return found, False
                if tries_left <= 0:
                    raise
                tries_left -= 1
                self.metrics.retries += 1
                await pause(
                    backoff(attempt, self.settings.retry_delay), f"retrying POST {ref}: nothing was created"
                )

    async def _adopt_abandoned(self, ref: Ref, match: dict[str, Any]) -> dict[str, Any] | None:
        """The object of an earlier create of this identity whose provider process died
        before Terraform saved it, if it is still there (journal entries consumed either way)."""
        for entry in await self.journal.abandoned(ref, match):
            if entry.object_id is None:
                found = await self._find_created(ref, match, entry.started)
            else:
                found = await self.read(ref.item(entry.object_id), fresh=True)
            await self.journal.end(entry)
            if found is not None:
                self.metrics.creates_adopted += 1
                log.info(
                    f"POST {ref}: adopting {found.get('id')}, made by an earlier create of the same "
                    "object that did not finish (its provider process ended)"
                )
                return found
        return None

    async def _find_created(self, ref: Ref, match: dict[str, Any], started: float) -> dict[str, Any] | None:
        """The newest object of the collection with these identifying values, made since
        `started`: from the collection's list, or the parent's embedded field."""
        kind = ref.kind
        if kind.read is Read.EMBEDDED:
            parent = await self._embedding(ref, fresh=True)
            items = list((parent or {}).get(str(kind.embedded_as)) or [])
        else:
            items = await self.requester.list_all(ref, fresh=True)
        candidates = [
            (position, item)
            for position, item in enumerate(items)
            if isinstance(item, dict)
            and all(item.get(field) == value for field, value in match.items())
            and (_timestamp(item.get("created_at")) or started) >= started - CREATE_CLOCK_SKEW
        ]
        if not candidates:
            return None
        # The newest; among equal times (or none), the last listed.
        _, newest = max(candidates, key=lambda pair: (_timestamp(pair[1].get("created_at")) or 0.0, pair[0]))
        if kind.summary_list:  # summaries: fetch the whole object
            full: dict[str, Any] = await self.reader.get(ref.item(newest["id"]), fresh=True)
            return full
        return newest

    # --- lifetime ------------------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close the pool and report what the client did (once)."""
        if self._closed:
            return
        self._closed = True
        await self.requester.aclose()
        self.metrics.breaker_trips = self.requester.breaker.trips
        log.info(self.metrics.summary_line(), extra={"fields": self.metrics.summary()})
        if self.settings.metrics_file:
            try:
                await asyncio.to_thread(self.metrics.append_json_line, self.settings.metrics_file)
            except OSError as exc:
                log.warning(f"could not write metrics to {self.settings.metrics_file}: {exc}")
