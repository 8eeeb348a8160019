"""Custom domains: one sub-API shared by applications, static sites (and later load balancers)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulator import pending
from emulator.crud import Context, Kind, Unique, load, merge, public_view
from emulator.errors import invalid_field
from emulator.store import Body
from emulator.validation import boolean, string

DOMAIN_PATTERN = r"(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}"
CNAME_TARGET = "cname.sevalla.com"

CREATE = {
    "domain_name": string(required=True, min_len=3, max_len=253, pattern=DOMAIN_PATTERN),
    "is_wildcard": boolean(default=False),
    "custom_ssl_cert": string(nullable=True),
    "custom_ssl_key": string(nullable=True),
}
UPDATE = {
    "name": string(required=True, min_len=3, max_len=253, pattern=DOMAIN_PATTERN),
    "custom_ssl_cert": string(nullable=True),
    "custom_ssl_key": string(nullable=True),
}


def _records(name: str) -> list[dict[str, str]]:
    return [{"type": "CNAME", "name": name, "value": CNAME_TARGET}]


def build(ctx: Context, data: dict[str, Any]) -> Body:
    name = data["domain_name"].lower()
    return {
        "name": name,
        "status": "ACTIVE",
        "type": "CUSTOM",
        "is_enabled": True,
        "is_wildcard": bool(data["is_wildcard"]) or name.startswith("*."),
        "is_primary": False,
        "dns_records": _records(name),
        "errors": None,
        # The certificate and key are secrets: kept, never returned.
        "_custom_ssl_cert": data["custom_ssl_cert"],
        "_custom_ssl_key": data["custom_ssl_key"],
    }


def update(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    body = merge(ctx, current, {})
    if "name" in changes:
        body["name"] = changes["name"].lower()
        body["dns_records"] = _records(body["name"])
    for secret in ("custom_ssl_cert", "custom_ssl_key"):
        if secret in changes:
            body[f"_{secret}"] = changes[secret]
    return body


def domains_of(parent: Kind, name: str) -> Kind:
    """The domains kind under `parent`, stored as `name` (e.g. "application_domains")."""
    return Kind(
        name=name,
        label="domain",
        path="domains",
        parent=parent,
        id_param="domain_id",
        create_fields=CREATE,
        update_fields=UPDATE,
        build=build,
        update=update,
        view=lambda ctx, body: public_view(ctx, pending.current(ctx, body)),
        unique=Unique(stored="name", field="domain_name"),
        list_style="array",  # a bare array, as the official client expects
    )


# ---------------------------------------------------------------- actions (§7.1, §7.3, §7.5)
# `…/domains/{domain_id}/set-primary`, `/toggle`, `/refresh-status`: each answers a message.
# set-primary and toggle take effect after the ready delay (422 while one is under way);
# refresh-status changes nothing the emulator models. Choices: FIDELITY.md "Routes of the
# official client".


def add_action_routes(app: web.Application, kind: Kind) -> None:
    async def set_primary(request: web.Request) -> web.Response:
        ctx, stored = load(request, kind)
        pending.refuse_if_under_way(ctx, stored, "domain")
        body = pending.current(ctx, stored)
        if not body.get("is_enabled", True):
            raise invalid_field("is_enabled", "a disabled domain cannot be the primary domain")
        parent_id = ctx.parent["id"] if ctx.parent else None
        for sibling in ctx.store.all(kind.name, parent_id):
            if sibling["id"] != body["id"] and pending.current(ctx, sibling).get("is_primary"):
                pending.schedule(ctx, sibling, {"is_primary": False})
        pending.schedule(ctx, body, {"is_primary": True})
        return web.json_response({"message": "Primary domain change started"})

    async def toggle(request: web.Request) -> web.Response:
        ctx, stored = load(request, kind)
        pending.refuse_if_under_way(ctx, stored, "domain")
        body = pending.current(ctx, stored)
        if body.get("is_primary"):
            raise invalid_field("is_enabled", "the primary domain cannot be disabled")
        pending.schedule(ctx, body, {"is_enabled": not body.get("is_enabled", True)})
        return web.json_response({"message": "Domain toggle started"})

    async def refresh_status(request: web.Request) -> web.Response:
        load(request, kind)  # 404 for an unknown parent or domain
        return web.json_response({"message": "Domain status refresh started"})

    app.router.add_post(f"{kind.item_route}/set-primary", set_primary)
    app.router.add_post(f"{kind.item_route}/toggle", toggle)
    app.router.add_post(f"{kind.item_route}/refresh-status", refresh_status)
