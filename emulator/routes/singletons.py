"""One-per-parent objects without ids of their own: deployment hooks and IP restrictions (§7.1).

Each is a `Kind` (for its stored name, label, parent and 404s) served by the handlers here instead
of the generic CRUD routes; it is stored as the parent's only child of that kind, so deleting the
parent deletes it and `/_emulator/objects` counts it.

- Deployment hook, `…/deployment-hook`: GET (404 when not enabled), POST enables (422 when it
  already is), PUT regenerates the URL, DELETE disables. Body `{url}`.
- IP restriction, `…/ip-restriction`: GET always answers (`{type: "allow", is_enabled: false,
  ip_list: []}` when never set); PUT `{type*, is_enabled*, ip_list*}` replaces it. PUT back to
  disabled with an empty list stores nothing, as if never set (that is how a client removes one).
"""

from __future__ import annotations

import ipaddress
import secrets
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from emulator.crud import Build, Context, Kind, context, create_object, read_json_object, resolve_parent
from emulator.errors import invalid_field, not_found
from emulator.store import Body
from emulator.validation import Field, array, boolean, string, validate

HOOK_BASE_URL = "https://hooks.sevalla.com/deploy"


def _stored(ctx: Context, kind: Kind) -> Body | None:
    assert ctx.parent is not None
    found = ctx.store.all(kind.name, ctx.parent["id"])
    return found[0] if found else None


def _singleton(
    parent: Kind, name: str, label: str, path: str, fields: Mapping[str, Field], build: Build
) -> Kind:
    return Kind(
        name=name,
        label=label,
        path=path,
        parent=parent,
        create_fields=fields,
        update_fields=fields,
        build=build,
    )


def _parent_context(request: web.Request, kind: Kind) -> Context:
    return context(request, resolve_parent(request, kind))


# ---------------------------------------------------------------- deployment hooks


def _hook_url(ctx: Context) -> str:
    assert ctx.parent is not None
    return f"{HOOK_BASE_URL}/{ctx.parent['id']}/{secrets.token_urlsafe(24)}"


def build_hook(ctx: Context, data: dict[str, Any]) -> Body:
    return {"url": _hook_url(ctx)}


def deployment_hook_of(parent: Kind, name: str) -> Kind:
    return _singleton(parent, name, "deployment hook", "deployment-hook", {}, build_hook)


def add_deployment_hook_routes(app: web.Application, kind: Kind) -> None:
    route = kind.collection_route

    def existing(ctx: Context, request: web.Request) -> Body:
        body = _stored(ctx, kind)
        if body is None:
            raise not_found(kind.label, request.match_info[kind.parent.id_param if kind.parent else "id"])
        return body

    async def get(request: web.Request) -> web.Response:
        ctx = _parent_context(request, kind)
        return web.json_response({"url": existing(ctx, request)["url"]})

    async def post(request: web.Request) -> web.Response:
        ctx = _parent_context(request, kind)
        if _stored(ctx, kind) is not None:
            raise invalid_field("url", "the deployment hook is already enabled; PUT regenerates it")
        body = create_object(ctx, kind, {})
        return web.json_response({"url": body["url"]}, status=201)

    async def put(request: web.Request) -> web.Response:
        ctx = _parent_context(request, kind)
        body = {**existing(ctx, request), "url": _hook_url(ctx)}
        ctx.store.replace(body["id"], body)
        return web.json_response({"url": body["url"]})

    async def delete(request: web.Request) -> web.Response:
        ctx = _parent_context(request, kind)
        ctx.store.delete_tree(existing(ctx, request)["id"])
        return web.Response(status=204)

    app.router.add_get(route, get)
    app.router.add_post(route, post)
    app.router.add_put(route, put)
    app.router.add_delete(route, delete)


# ---------------------------------------------------------------- IP restrictions

UNRESTRICTED: Body = {"type": "allow", "is_enabled": False, "ip_list": []}


def _ip_or_network(value: Any) -> str | None:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        return "must be an IP address or CIDR range"
    return None


IP_RESTRICTION: dict[str, Field] = {
    "type": string(required=True, choices=("allow", "deny")),
    "is_enabled": boolean(required=True),
    "ip_list": array(string(check=_ip_or_network), required=True),
}


def build_ip_restriction(ctx: Context, data: dict[str, Any]) -> Body:
    return dict(data)


def ip_restriction_of(parent: Kind, name: str) -> Kind:
    return _singleton(parent, name, "ip restriction", "ip-restriction", IP_RESTRICTION, build_ip_restriction)


def _ip_view(body: Body | None) -> Body:
    return {key: (body or UNRESTRICTED)[key] for key in UNRESTRICTED}


def add_ip_restriction_routes(app: web.Application, kind: Kind) -> None:
    route = kind.collection_route

    async def get(request: web.Request) -> web.Response:
        ctx = _parent_context(request, kind)
        return web.json_response(_ip_view(_stored(ctx, kind)))

    async def put(request: web.Request) -> web.Response:
        ctx = _parent_context(request, kind)
        data = validate(await read_json_object(request), kind.create_fields, partial=False)
        current = _stored(ctx, kind)
        if current is not None:
            ctx.store.delete_tree(current["id"])
        if data["is_enabled"] or data["ip_list"]:
            create_object(ctx, kind, data)
        return web.json_response(_ip_view(data))

    app.router.add_get(route, get)
    app.router.add_put(route, put)
