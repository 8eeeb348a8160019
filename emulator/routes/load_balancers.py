"""Load balancers with their destinations and domains (reference §7.5).

- `/load-balancers`: P of `{id,name,display_name,type,created_at,updated_at}`; POST
  `{display_name*, type (DEFAULT|GEO, default DEFAULT), project_id}`; GET/PATCH/DELETE `/{id}`.
- `…/destinations`: P list, POST `{service_type*, service_id, weight, url, latitude,
  longitude}`, DELETE `…/{dest_id}`, POST `…/{dest_id}/toggle` (flips `is_enabled`). No PATCH:
  the API cannot change a destination. `service_id` is required for (and must name an existing)
  APP, STATIC_SITE, OBJECT_STORAGE or LOAD_BALANCER; `url` is required for EXTERNAL.
- `…/domains`: the shared domain sub-API (emulator/routes/domains.py).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulator.catalog import COMPANY_ID
from emulator.clock import iso_timestamp
from emulator.crud import Context, Kind, load, render
from emulator.errors import invalid
from emulator.naming import service_name
from emulator.routes.common import PROJECT_ID, display_name
from emulator.routes.domains import domains_of
from emulator.store import Body
from emulator.validation import integer, number, string

TYPES = ("DEFAULT", "GEO")
SERVICE_TYPES = ("APP", "STATIC_SITE", "OBJECT_STORAGE", "EXTERNAL", "LOAD_BALANCER")
# service_type -> stored kind the service_id must name
SERVICE_KINDS = {
    "APP": ("applications", "application"),
    "STATIC_SITE": ("static_sites", "static site"),
    "OBJECT_STORAGE": ("object_storage", "object storage"),
    "LOAD_BALANCER": ("load_balancers", "load balancer"),
}
DEFAULT_WEIGHT = 1

CREATE = {
    "display_name": display_name(required=True),
    "type": string(choices=TYPES, default="DEFAULT"),
    "project_id": PROJECT_ID,
}
UPDATE = {
    "display_name": display_name(required=False),
    "type": string(choices=TYPES),
    "project_id": PROJECT_ID,
}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    name = service_name(data["display_name"])
    return {"company_id": COMPANY_ID, "name": name, **data}


LOAD_BALANCERS = Kind(
    name="load_balancers",
    label="load balancer",
    path="load-balancers",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    summary=("id", "name", "display_name", "type", "created_at", "updated_at"),
)

DESTINATION_CREATE = {
    "service_type": string(required=True, choices=SERVICE_TYPES),
    "service_id": string(nullable=True, min_len=1),
    "weight": integer(nullable=True, min_value=0, max_value=100),
    "url": string(nullable=True, min_len=1, max_len=2048, pattern=r"https?://\S+"),
    "latitude": number(nullable=True, min_value=-90, max_value=90),
    "longitude": number(nullable=True, min_value=-180, max_value=180),
}


def build_destination(ctx: Context, data: dict[str, Any]) -> Body:
    service_type = data["service_type"]
    problems: dict[str, list[str]] = {}
    if service_type == "EXTERNAL":
        if data["url"] is None:
            problems["url"] = ["is required when service_type is EXTERNAL"]
        if data["service_id"] is not None:
            problems["service_id"] = ["must be empty when service_type is EXTERNAL"]
    else:
        stored_kind, label = SERVICE_KINDS[service_type]
        if data["service_id"] is None:
            problems["service_id"] = [f"is required when service_type is {service_type}"]
        elif ctx.store.get(stored_kind, data["service_id"], None) is None:
            problems["service_id"] = [f"is not a known {label}"]
        elif ctx.parent is not None and data["service_id"] == ctx.parent["id"]:
            problems["service_id"] = ["must not be the load balancer itself"]
    if problems:
        raise invalid(problems)
    weight = data["weight"]
    return {
        **data,
        "weight": DEFAULT_WEIGHT if weight is None else weight,
        "is_enabled": True,
    }


DESTINATIONS = Kind(
    name="load_balancer_destinations",
    label="destination",
    path="destinations",
    parent=LOAD_BALANCERS,
    id_param="dest_id",
    parent_field="load_balancer_id",
    create_fields=DESTINATION_CREATE,
    update_fields={},
    build=build_destination,
    updatable=False,
)

LOAD_BALANCER_DOMAINS = domains_of(LOAD_BALANCERS, "load_balancer_domains")

KINDS = (LOAD_BALANCERS, DESTINATIONS, LOAD_BALANCER_DOMAINS)


async def toggle_destination(request: web.Request) -> web.Response:
    ctx, body = load(request, DESTINATIONS)
    body = {**body, "is_enabled": not body.get("is_enabled", True), "updated_at": iso_timestamp(ctx.now)}
    ctx.store.replace(body["id"], body)
    return web.json_response(render(DESTINATIONS, ctx, body))


def add_routes(app: web.Application) -> None:
    """Routes beyond the generic CRUD: destination toggle."""
    app.router.add_post(f"{DESTINATIONS.item_route}/toggle", toggle_destination)
