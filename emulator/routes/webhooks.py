"""Webhooks (reference §7.7).

- `/webhooks`: generic CRUD. POST `{allowed_events*[], endpoint*, description}`; PATCH any of
  them. Event names are not documented (`APP_DEPLOY` in the official provider's acceptance test,
  `deployment.created` in its mocks): any non-empty name is accepted and kept as sent. The object adds `is_enabled` (true on creation), `secret` (`whsec_…`, generated),
  `old_secret`, `old_secret_expired_at` (null until a roll), `created_by`, `updated_by`,
  `company_id`. The endpoint must be an http(s) URL to a public host ("The provided endpoint is
  not allowed" for localhost or private addresses); at most 10 webhooks per company.
- `POST /webhooks/{id}/toggle`: flips `is_enabled`, answers the webhook.
- `POST /webhooks/{id}/roll-secret` `{expire_in_hours?}` (0-24, default 24): the secret becomes
  `old_secret` until then, a new one is generated; answers the webhook.
- `GET /webhooks/{id}/deliveries`: paginated, always empty (the emulator sends nothing).
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from emulator.catalog import COMPANY_ID, USER_ID
from emulator.clock import iso_timestamp
from emulator.crud import Context, Kind, load, merge, read_json_object, render
from emulator.errors import invalid_field
from emulator.pagination import page_body, parse_page
from emulator.store import Body
from emulator.validation import array, integer, string, validate

MAX_WEBHOOKS = 10
MAX_EXPIRE_HOURS = 24


def check_endpoint(value: Any) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// URL"
    host = parts.hostname.lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "The provided endpoint is not allowed"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return None
    if address.is_private or address.is_loopback or address.is_link_local or address.is_unspecified:
        return "The provided endpoint is not allowed"
    return None


CREATE = {
    "allowed_events": array(string(min_len=1), required=True, min_len=1),
    "endpoint": string(required=True, min_len=1, max_len=2048, check=check_endpoint),
    "description": string(nullable=True, max_len=255),
}
UPDATE = dict(CREATE)
ROLL = {"expire_in_hours": integer(min_value=0, max_value=MAX_EXPIRE_HOURS, default=MAX_EXPIRE_HOURS)}


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


def build(ctx: Context, data: dict[str, Any]) -> Body:
    if len(ctx.store.all("webhooks", None)) >= MAX_WEBHOOKS:
        raise invalid_field("endpoint", f"a company can have at most {MAX_WEBHOOKS} webhooks")
    return {
        "company_id": COMPANY_ID,
        "is_enabled": True,
        "allowed_events": list(data["allowed_events"]),
        "secret": new_secret(),
        "old_secret": None,
        "old_secret_expired_at": None,
        "endpoint": data["endpoint"],
        "description": data["description"],
        "created_by": USER_ID,
        "updated_by": None,
    }


def update(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    return merge(ctx, current, {**changes, "updated_by": USER_ID})


WEBHOOKS = Kind(
    name="webhooks",
    label="webhook",
    path="webhooks",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    update=update,
    summary=("id", "endpoint", "is_enabled", "allowed_events", "description", "created_at", "updated_at"),
)

KINDS = (WEBHOOKS,)


def _save(ctx: Context, body: Body) -> web.Response:
    body["updated_at"] = iso_timestamp(ctx.now)
    body["updated_by"] = USER_ID
    ctx.store.replace(body["id"], body)
    return web.json_response(render(WEBHOOKS, ctx, body))


async def toggle(request: web.Request) -> web.Response:
    ctx, body = load(request, WEBHOOKS)
    return _save(ctx, {**body, "is_enabled": not body["is_enabled"]})


async def roll_secret(request: web.Request) -> web.Response:
    ctx, body = load(request, WEBHOOKS)
    hours = validate(await read_json_object(request), ROLL, partial=False)["expire_in_hours"]
    rolled = {**body, "secret": new_secret()}
    if hours > 0:
        rolled["old_secret"] = body["secret"]
        rolled["old_secret_expired_at"] = iso_timestamp(ctx.now + hours * 3600)
    else:
        rolled["old_secret"] = rolled["old_secret_expired_at"] = None
    return _save(ctx, rolled)


async def deliveries(request: web.Request) -> web.Response:
    load(request, WEBHOOKS)
    page = parse_page(request.query)
    return web.json_response(page_body([], 0, page))


def add_routes(app: web.Application) -> None:
    item = WEBHOOKS.item_route
    app.router.add_post(f"{item}/toggle", toggle)
    app.router.add_post(f"{item}/roll-secret", roll_secret)
    app.router.add_get(f"{item}/deliveries", deliveries)
