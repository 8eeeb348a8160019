"""Generic CRUD for one kind of object, top-level or nested under a parent kind.

Every kind (applications, env vars, domains, databases, ...) is a `Kind` value: its URL segment,
its create/update fields and a few small hooks. `add_routes` serves list, create, read, update and
delete for it, so a new kind is a few lines in a routes module.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

import attrs
from aiohttp import web

from emulator.clock import iso_timestamp
from emulator.errors import bad_request, invalid_field, not_found
from emulator.naming import new_id
from emulator.pagination import DEFAULT_LIMIT, SUB_LIST_DEFAULT_LIMIT, page_body, parse_page
from emulator.settings import EmulatorSettings
from emulator.state import CLOCK, SETTINGS, STORE, TIMING
from emulator.store import Body, Store
from emulator.validation import Field, validate

API_PREFIX = "/v3"


@attrs.frozen
class Context:
    """What a hook may need: settings, the store, the request's time, the parent's stored body and
    the current database ready delay (settings' value, or the one set through /_emulator/timing)."""

    settings: EmulatorSettings
    store: Store
    now: float
    parent: Body | None
    db_ready_delay_seconds: float = 0.0
    db_delete_delay_seconds: float = 0.0
    db_error_display_names: tuple[str, ...] = ()


Build = Callable[[Context, dict[str, Any]], Body]
Update = Callable[[Context, Body, dict[str, Any]], Body]
View = Callable[[Context, Body], Body]
AfterCreate = Callable[[Context, Body], None]
# Instead of removing the object at once: mark it (stored), to be removed later by `Sweep`.
Remove = Callable[[Context, Body], None]
# Removes what was marked and is due; run before every request (emulator.app).
Sweep = Callable[[Context], None]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def merge(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    """Default update: the accepted fields replace the stored ones."""
    return {**current, **changes}


def public_view(ctx: Context, body: Body) -> Body:
    """Default view: the stored body without its "_" bookkeeping fields."""
    return {key: value for key, value in body.items() if not key.startswith("_")}


@attrs.frozen
class Unique:
    """A stored field that must be unique among siblings; `field` is the request field named in the 422."""

    stored: str
    field: str
    # Whether two siblings with the same value clash (None: always); e.g. static-site env vars
    # are keyed per environment and branch, so one key may exist for production and preview.
    clash: Callable[[Body, Body], bool] | None = None


@attrs.frozen
class Kind:
    name: str  # store kind and key in /_emulator/objects, e.g. "application_env_vars"
    label: str  # in 404 messages, e.g. "application" -> "application <id> not found"
    path: str  # URL segment, e.g. "env-vars"
    create_fields: Mapping[str, Field]
    update_fields: Mapping[str, Field]
    build: Build  # accepted create fields -> kind-specific stored fields
    parent: Kind | None = None
    id_param: str = "id"  # route parameter of an item; unique along the parent chain
    parent_field: str | None = None  # e.g. "app_id": the parent's id, copied into the body
    update: Update = merge
    view: View = public_view
    after_create: AfterCreate | None = None
    remove: Remove | None = None  # an asynchronous delete (databases); None: DELETE removes at once
    sweep: Sweep | None = None
    summary: tuple[str, ...] | None = None  # list items carry only these keys (top-level lists)
    list_style: str = "paged"  # "paged" ({data,total,offset,limit}) or "array" (bare list)
    # What a create's / an update's answer shows of the object (the real API's are sparse for
    # some kinds: only the id, only a message); None: the whole object, as a GET shows it.
    create_answer: View | None = None
    update_answer: View | None = None
    readable: bool = True  # False: no GET of one object (the route answers 404 as if absent)
    update_method: str = "PATCH"
    updatable: bool = True  # False: no update route (e.g. deployments)
    deletable: bool = True  # False: no delete route
    unique: Unique | None = None

    @property
    def collection_route(self) -> str:
        base = API_PREFIX if self.parent is None else self.parent.item_route
        return f"{base}/{self.path}"

    @property
    def item_route(self) -> str:
        return f"{self.collection_route}/{{{self.id_param}}}"

    def lineage(self) -> list[Kind]:
        """Ancestors from the top-level kind down to the parent."""
        chain: list[Kind] = []
        parent = self.parent
        while parent is not None:
            chain.insert(0, parent)
            parent = parent.parent
        return chain


def add_routes(app: web.Application, kind: Kind) -> None:
    router = app.router
    router.add_get(kind.collection_route, _list_handler(kind))
    router.add_post(kind.collection_route, _create_handler(kind))
    router.add_get(kind.item_route, _read_handler(kind) if kind.readable else _absent_route)
    if kind.updatable:
        router.add_route(kind.update_method, kind.item_route, _update_handler(kind))
    if kind.deletable:
        router.add_delete(kind.item_route, _delete_handler(kind))


async def read_json_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object; an empty body counts as {} (required fields then fail)."""
    text = await request.text()
    if not text.strip():
        return {}
    try:
        body = json.loads(text)
    except ValueError:
        raise bad_request("Request body must be valid JSON") from None
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def context(request: web.Request, parent: Body | None) -> Context:
    app = request.app
    return Context(
        settings=app[SETTINGS],
        store=app[STORE],
        now=app[CLOCK](),
        parent=parent,
        db_ready_delay_seconds=app[TIMING].db_ready_delay_seconds,
        db_delete_delay_seconds=app[TIMING].db_delete_delay_seconds,
        db_error_display_names=app[TIMING].db_error_display_names,
    )


def resolve_parent(request: web.Request, kind: Kind) -> Body | None:
    """Walk the parent chain from the URL; 404 naming the first missing ancestor."""
    store = request.app[STORE]
    parent: Body | None = None
    for ancestor in kind.lineage():
        ancestor_id = request.match_info[ancestor.id_param]
        found = store.get(ancestor.name, ancestor_id, parent["id"] if parent else None)
        if found is None:
            raise not_found(ancestor.label, ancestor_id)
        parent = found
    return parent


def load(request: web.Request, kind: Kind) -> tuple[Context, Body]:
    """The addressed object and its context, or 404."""
    parent = resolve_parent(request, kind)
    object_id = request.match_info[kind.id_param]
    body = request.app[STORE].get(kind.name, object_id, parent["id"] if parent else None)
    if body is None:
        raise not_found(kind.label, object_id)
    return context(request, parent), body


def create_object(ctx: Context, kind: Kind, data: dict[str, Any]) -> Body:
    """Build, check and store a new object under `ctx.parent`; also used by hooks (default process)."""
    parent = ctx.parent
    body: Body = {"id": new_id()}
    if kind.parent_field is not None and parent is not None:
        body[kind.parent_field] = parent["id"]
    body.update(kind.build(ctx, data))
    body["created_at"] = body["updated_at"] = iso_timestamp(ctx.now)
    _check_unique(kind, ctx, body)
    ctx.store.insert(kind.name, body["id"], parent["id"] if parent else None, body)
    if kind.after_create is not None:
        kind.after_create(ctx, body)
    return body


def render(kind: Kind, ctx: Context, body: Body) -> Body:
    return kind.view(ctx, body)


def _summary(kind: Kind, ctx: Context, body: Body) -> Body:
    shown = render(kind, ctx, body)
    if kind.summary is None:
        return shown
    return {key: shown.get(key) for key in kind.summary}


def _check_unique(kind: Kind, ctx: Context, body: Body) -> None:
    if kind.unique is None:
        return
    value = body.get(kind.unique.stored)
    siblings = ctx.store.all(kind.name, ctx.parent["id"] if ctx.parent else None)
    clash = kind.unique.clash or (lambda one, other: True)
    if any(
        other["id"] != body["id"] and other.get(kind.unique.stored) == value and clash(body, other)
        for other in siblings
    ):
        raise invalid_field(kind.unique.field, "has already been taken")


def _list_handler(kind: Kind) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        parent = resolve_parent(request, kind)
        ctx = context(request, parent)
        parent_id = parent["id"] if parent else None
        if kind.list_style == "array":
            items = ctx.store.all(kind.name, parent_id)
            return web.json_response([_summary(kind, ctx, item) for item in items])
        page = parse_page(request.query, SUB_LIST_DEFAULT_LIMIT if kind.parent is not None else DEFAULT_LIMIT)
        items, total = ctx.store.page(kind.name, parent_id, page.offset, page.limit)
        return web.json_response(page_body([_summary(kind, ctx, item) for item in items], total, page))

    return handle


def _create_handler(kind: Kind) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        parent = resolve_parent(request, kind)
        data = validate(await read_json_object(request), kind.create_fields, partial=False)
        ctx = context(request, parent)
        body = create_object(ctx, kind, data)
        shown = render(kind, ctx, body)
        answer = shown if kind.create_answer is None else kind.create_answer(ctx, shown)
        return web.json_response(answer, status=201)

    return handle


def _read_handler(kind: Kind) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        ctx, body = load(request, kind)
        return web.json_response(render(kind, ctx, body))

    return handle


def _update_handler(kind: Kind) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        ctx, current = load(request, kind)
        changes = validate(await read_json_object(request), kind.update_fields, partial=True)
        body = kind.update(ctx, current, changes)
        body["updated_at"] = iso_timestamp(ctx.now)
        _check_unique(kind, ctx, body)
        ctx.store.replace(body["id"], body)
        shown = render(kind, ctx, body)
        return web.json_response(shown if kind.update_answer is None else kind.update_answer(ctx, shown))

    return handle


async def _absent_route(request: web.Request) -> web.Response:
    """A GET the real API does not have (other methods share its path, so aiohttp would say 405)."""
    raise web.HTTPNotFound()


def only(*names: str) -> View:
    """An answer showing only these fields of the object."""

    def view(ctx: Context, shown: Body) -> Body:
        return {name: shown.get(name) for name in names}

    return view


def message(text: str) -> View:
    """An answer that is only a message (no id, no object)."""

    def view(ctx: Context, shown: Body) -> Body:
        return {"message": text}

    return view


def without(*names: str) -> View:
    """The object without these fields."""

    def view(ctx: Context, shown: Body) -> Body:
        return {key: value for key, value in shown.items() if key not in names}

    return view


def _delete_handler(kind: Kind) -> Handler:
    async def handle(request: web.Request) -> web.Response:
        ctx, body = load(request, kind)
        if kind.remove is None:
            ctx.store.delete_tree(body["id"])
        else:
            kind.remove(ctx, body)
        return web.Response(status=204)

    return handle
