"""Object storage buckets and their CORS policies (reference §7.4; singular path `object-storage`)."""

from __future__ import annotations

import secrets
from typing import Any

from aiohttp import web

from emulator import pending
from emulator.catalog import COMPANY_ID
from emulator.crud import Context, Kind, load, message, public_view, without
from emulator.errors import invalid_field
from emulator.naming import service_name
from emulator.routes.common import PROJECT_ID, display_name
from emulator.store import Body
from emulator.validation import array, boolean, string

LOCATIONS = ("apac", "eeur", "enam", "oc", "weur", "wnam")
JURISDICTIONS = ("default", "eu", "fedramp")
CORS_METHODS = ("GET", "PUT", "POST", "DELETE", "HEAD")
ENDPOINT = "https://emulator.r2.cloudflarestorage.com"

CREATE = {
    "display_name": display_name(required=True),
    "location": string(choices=LOCATIONS, default="enam"),
    "jurisdiction": string(choices=JURISDICTIONS, default="default"),
    "public_access": boolean(default=False),
    "project_id": PROJECT_ID,
}
UPDATE = {
    "display_name": display_name(required=False),
    "project_id": PROJECT_ID,
}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    name = service_name(data["display_name"])
    return {
        "company_id": COMPANY_ID,
        "project_id": data["project_id"],
        "name": name,
        "display_name": data["display_name"],
        "status": "ready",  # buckets are created synchronously
        "location": data["location"],
        "jurisdiction": data["jurisdiction"],
        "public_access": data["public_access"],
        "domain": f"{name}.sevalla.storage" if data["public_access"] else None,
        "endpoint": ENDPOINT,
        "access_key": secrets.token_hex(16),
        "secret_key": secrets.token_hex(32),
        "bucket_name": name,
    }


OBJECT_STORAGE = Kind(
    name="object_storage",
    label="object storage",
    path="object-storage",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    view=lambda ctx, body: public_view(ctx, pending.current(ctx, body)),
    summary=("id", "name", "display_name", "status", "created_at", "updated_at"),
    # The real API's PATCH answer leaves these out (a GET shows them).
    update_answer=without("bucket_name", "endpoint", "access_key", "secret_key"),
)

CORS_CREATE = {
    "origins": array(string(min_len=1), required=True, min_len=1),
    "methods": array(string(choices=CORS_METHODS), required=True, min_len=1),
    "headers": array(string(min_len=1), default=[]),
}


def build_cors(ctx: Context, data: dict[str, Any]) -> Body:
    return dict(data)


CORS_POLICIES = Kind(
    name="object_storage_cors_policies",
    label="cors policy",
    path="cors-policies",
    parent=OBJECT_STORAGE,
    id_param="policy_id",
    parent_field="object_storage_id",
    create_fields=CORS_CREATE,
    update_fields=CORS_CREATE,
    build=build_cors,
    # The real API answers a create and an update with only a message (no id).
    create_answer=message("CORS policy created"),
    update_answer=message("CORS policy updated"),
)

KINDS = (OBJECT_STORAGE, CORS_POLICIES)


# ---------------------------------------------------------------- CDN domain (§7.4)
# POST enables the public CDN domain, DELETE disables it; both answer a message and take effect
# after the ready delay (`domain` appears / becomes null). 422 if already in the asked state or a
# change is under way. Choices: see FIDELITY.md "Routes of the official client".


async def _change_domain(request: web.Request, *, enable: bool) -> web.Response:
    ctx, stored = load(request, OBJECT_STORAGE)
    pending.refuse_if_under_way(ctx, stored, "object storage")
    body = pending.current(ctx, stored)
    if (body.get("domain") is not None) == enable:
        raise invalid_field("domain", "is already enabled" if enable else "is not enabled")
    domain = f"{body['name']}.sevalla.storage" if enable else None
    pending.schedule(ctx, body, {"domain": domain})
    return web.json_response({"message": f"CDN domain {'enabling' if enable else 'disabling'} started"})


async def enable_domain(request: web.Request) -> web.Response:
    return await _change_domain(request, enable=True)


async def disable_domain(request: web.Request) -> web.Response:
    return await _change_domain(request, enable=False)


def add_routes(app: web.Application) -> None:
    app.router.add_post(f"{OBJECT_STORAGE.item_route}/domain", enable_domain)
    app.router.add_delete(f"{OBJECT_STORAGE.item_route}/domain", disable_domain)
