"""API keys (reference §7.7) and the RBAC reference lists they are built from.

- `/api-keys`: paginated summaries; POST `{name*, role_ids[], capabilities[{permission*,
  id_resource}], expired_at}` answers the key **with its `token`**, which is never shown again
  (it is not even stored); GET/PATCH (same fields, none required)/DELETE `/api-keys/{id}`.
  POST `/api-keys/{id}/toggle` flips `is_enabled`; POST `/api-keys/{id}/rotate` answers a new token.
- `/resources/rbac/api-key-permissions`, `/resources/rbac/api-key-roles`: bare arrays, fixed ids.
  A capability names a permission by its `name` (e.g. "application:read"). These names are the
  emulator's invention (the docs show `app:read` / `APP:READ`, resource `APP`): a capability's
  permission is accepted whatever its name (the real set is not documented), and kept as sent.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from aiohttp import web

from emulator.catalog import COMPANY_ID
from emulator.clock import iso_timestamp
from emulator.crud import API_PREFIX, Context, Kind, context, load, merge, only, public_view
from emulator.store import Body
from emulator.validation import array, obj, string

RESOURCES = ("application", "database", "static_site", "object_storage", "api_key")
ACTIONS = ("read", "write", "delete")

API_KEY_PERMISSIONS: tuple[dict[str, Any], ...] = tuple(
    {
        "id": f"9e4d0000-0000-4000-8000-{index:012d}",
        "name": f"{resource}:{action}",
        "description": f"{action.capitalize()} {resource.replace('_', ' ')}s",
        "resource": resource,
        "action": action,
    }
    for index, (resource, action) in enumerate(
        ((resource, action) for resource in RESOURCES for action in ACTIONS), start=1
    )
)
PERMISSION_NAMES = tuple(permission["name"] for permission in API_KEY_PERMISSIONS)

API_KEY_ROLES: tuple[dict[str, Any], ...] = (
    {
        "id": "9e4e0000-0000-4000-8000-000000000001",
        "name": "admin",
        "description": "Everything",
        "permissions": list(PERMISSION_NAMES),
    },
    {
        "id": "9e4e0000-0000-4000-8000-000000000002",
        "name": "developer",
        "description": "Read and change services, no deletes",
        "permissions": [name for name in PERMISSION_NAMES if not name.endswith(":delete")],
    },
    {
        "id": "9e4e0000-0000-4000-8000-000000000003",
        "name": "viewer",
        "description": "Read only",
        "permissions": [name for name in PERMISSION_NAMES if name.endswith(":read")],
    },
)
ROLE_IDS = tuple(role["id"] for role in API_KEY_ROLES)


def _known_role(value: Any) -> str | None:
    return None if value in ROLE_IDS else "is not a known API key role"


def _timestamp(value: Any) -> str | None:
    try:
        datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return "must be an ISO 8601 timestamp"
    return None


CAPABILITY = obj({"permission": string(required=True, min_len=1), "id_resource": string(nullable=True)})
FIELDS = {
    "name": string(required=True, min_len=1, max_len=255),
    "role_ids": array(string(check=_known_role), default=[]),
    "capabilities": array(CAPABILITY, default=[]),
    "expired_at": string(nullable=True, check=_timestamp),
}
UPDATE = {**FIELDS, "name": string(min_len=1, max_len=255)}


def _roles(role_ids: list[str]) -> list[Body]:
    return [
        {key: role[key] for key in ("id", "name", "description")}
        for role in API_KEY_ROLES
        if role["id"] in role_ids
    ]


def _capabilities(capabilities: list[dict[str, Any]]) -> list[Body]:
    return [{"permission": c["permission"], "id_resource": c.get("id_resource")} for c in capabilities]


def _new_token() -> str:
    return f"sev_{secrets.token_urlsafe(32)}"


def build(ctx: Context, data: dict[str, Any]) -> Body:
    return {
        "company_id": COMPANY_ID,
        "name": data["name"],
        "is_enabled": True,
        "expired_at": data["expired_at"],
        "capabilities": _capabilities(data["capabilities"]),
        "roles": _roles(data["role_ids"]),
        "source": "api",
        "last_used_at": None,
        "_token": _new_token(),  # shown in the create answer only (see after_create)
    }


def after_create(ctx: Context, body: Body) -> None:
    """Store the key without its token; the create answer (this dict) still shows it."""
    ctx.store.replace(body["id"], {key: value for key, value in body.items() if key != "_token"})


def update(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    body = merge(ctx, current, {k: v for k, v in changes.items() if k not in ("role_ids", "capabilities")})
    if "role_ids" in changes:
        body["roles"] = _roles(changes["role_ids"])
    if "capabilities" in changes:
        body["capabilities"] = _capabilities(changes["capabilities"])
    return body


def view(ctx: Context, body: Body) -> Body:
    shown = public_view(ctx, body)
    if "_token" in body:
        shown["token"] = body["_token"]
    return shown


API_KEYS = Kind(
    name="api_keys",
    label="api key",
    path="api-keys",
    create_fields=FIELDS,
    update_fields=UPDATE,
    build=build,
    update=update,
    view=view,
    after_create=after_create,
    create_answer=only("id", "token", "name"),  # the real API's create answer
    summary=(
        "id", "name", "is_enabled", "expired_at", "source", "last_used_at", "created_at", "updated_at",
    ),
)  # fmt: skip

KINDS = (API_KEYS,)


async def toggle(request: web.Request) -> web.Response:
    ctx, body = load(request, API_KEYS)
    body = {**body, "is_enabled": not body["is_enabled"], "updated_at": iso_timestamp(ctx.now)}
    ctx.store.replace(body["id"], body)
    return web.json_response(view(ctx, body))


async def rotate(request: web.Request) -> web.Response:
    ctx, body = load(request, API_KEYS)
    body = {**body, "updated_at": iso_timestamp(ctx.now)}
    ctx.store.replace(body["id"], body)
    return web.json_response(view(context(request, None), {**body, "_token": _new_token()}))


async def permissions(request: web.Request) -> web.Response:
    return web.json_response(list(API_KEY_PERMISSIONS))


async def roles(request: web.Request) -> web.Response:
    return web.json_response(list(API_KEY_ROLES))


def add_routes(app: web.Application) -> None:
    """The routes besides the generic CRUD ones (which come from app.KINDS)."""
    router = app.router
    router.add_get(f"{API_PREFIX}/resources/rbac/api-key-permissions", permissions)
    router.add_get(f"{API_PREFIX}/resources/rbac/api-key-roles", roles)
    router.add_post(f"{API_KEYS.item_route}/toggle", toggle)
    router.add_post(f"{API_KEYS.item_route}/rotate", rotate)
