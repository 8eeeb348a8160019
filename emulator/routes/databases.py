"""Databases (reference §7.2, §8.3), statuses derived from stored timestamps (never a task):

- create: "creating", then "ready" once the ready delay has passed ("error" instead for a display
  name seeded in `/_emulator/timing` `db_error_display_names`); a resize goes through "updating";
- `POST /databases/{id}/suspend` -> "suspended" (refused while creating, updating or deleting);
  `POST /databases/{id}/activate` -> "updating", then "ready";
- `POST /databases/{id}/restart` -> "updating", then "ready" (only from ready or error; "error"
  again for a display name seeded in `db_error_display_names`);
- DELETE is asynchronous: "deleting" (in the GET and the list) for the delete delay, then gone (404);
- `PUT /_emulator/databases/{id}/status {"status": "ready"|"error"|"suspended"}` sets a status at once.
See emulator/FIDELITY.md "Database lifecycle" for what is verified and what is a choice.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulator import pending
from emulator.catalog import CLUSTERS, COMPANY_ID, DATABASE_RESOURCE_TYPES, by_id, known
from emulator.clock import iso_timestamp
from emulator.crud import Context, Kind, context, load, merge, only, public_view, read_json_object, render
from emulator.errors import invalid_field, not_found
from emulator.naming import service_name, suffix
from emulator.routes import singletons
from emulator.routes.common import PROJECT_ID, display_name
from emulator.store import Body
from emulator.validation import boolean, obj, string, validate

DATABASE_TYPES = ("postgresql", "mariadb", "mysql", "mongodb", "redis", "valkey")
INTERNAL_PORTS = {
    "postgresql": "5432",
    "mariadb": "3306",
    "mysql": "3306",
    "mongodb": "27017",
    "redis": "6379",
    "valkey": "6379",
}


def _not_reserved_user(value: str) -> str | None:
    return "must not be root or postgres" if value in ("root", "postgres") else None


CREATE = {
    "display_name": display_name(required=True),
    "type": string(required=True, choices=DATABASE_TYPES),
    "version": string(required=True, min_len=1, max_len=32),
    "cluster_id": string(required=True, check=known(CLUSTERS, "cluster")),
    "resource_type_id": string(required=True, check=known(DATABASE_RESOURCE_TYPES, "database resource type")),
    "db_name": string(required=True, min_len=2, max_len=100, pattern=r"[a-zA-Z0-9_\-+]+"),
    "db_password": string(required=True, min_len=4, max_len=100),
    "db_user": string(nullable=True, min_len=1, max_len=100, check=_not_reserved_user),
    "project_id": PROJECT_ID,
    "extensions": obj(
        {"enable_vector": boolean(), "enable_postgis": boolean(), "enable_cron": boolean()}, nullable=True
    ),
}
UPDATE = {
    "display_name": display_name(required=False),
    "resource_type_id": string(check=known(DATABASE_RESOURCE_TYPES, "database resource type")),
    "project_id": PROJECT_ID,  # null removes it from its project
}


def _resource_fields(resource_type_id: str) -> Body:
    resource = by_id(DATABASE_RESOURCE_TYPES, resource_type_id) or {}
    return {
        "resource_type_id": resource_type_id,
        "resource_type_name": resource.get("name"),
        "cpu_limit": resource.get("cpu_limit"),
        "memory_limit": resource.get("memory_limit"),
        "storage_size": resource.get("storage_limit"),
    }


def _start_transition(ctx: Context, status: str, display_name: str) -> Body:
    """Bookkeeping read by `status_of`: `status` until the ready delay has passed since
    `_transition_at` (the delay is read then: see `emulator.settings.Timing`), then `_settled`:
    "ready", or "error" for a display name seeded to fail."""
    settled = "error" if display_name in ctx.db_error_display_names else "ready"
    return {"_transition": status, "_transition_at": ctx.now, "_settled": settled}


def status_of(ctx: Context, body: Body) -> str:
    """The status at the request's time (see the module docstring)."""
    if body.get("_deleting_at") is not None:
        return "deleting"
    ready_at = body.get("_ready_at")  # written by earlier emulator versions
    if body.get("_transition") is not None and "_transition_at" in body:
        ready_at = body["_transition_at"] + ctx.db_ready_delay_seconds
    if ready_at is not None and ctx.now < ready_at:
        return str(body["_transition"])
    if ready_at is None and "_settled" not in body:
        return str(body["status"])
    return str(body.get("_settled", "ready"))


def build(ctx: Context, data: dict[str, Any]) -> Body:
    cluster = by_id(CLUSTERS, data["cluster_id"]) or {}
    name = service_name(data["display_name"])
    extensions = {"enable_vector": False, "enable_postgis": False, "enable_cron": False}
    extensions.update(data["extensions"] or {})
    return {
        "company_id": COMPANY_ID,
        "project_id": data["project_id"],
        "name": name,
        "display_name": data["display_name"],
        "type": data["type"],
        "version": data["version"],
        "status": "creating",
        "is_suspended": False,
        "cluster_id": data["cluster_id"],
        "cluster_display_name": cluster.get("display_name"),
        "cluster_location": cluster.get("location"),
        **_resource_fields(data["resource_type_id"]),
        "db_name": data["db_name"],
        "db_user": data["db_user"],
        "extensions": extensions,
        "internal_hostname": f"{name}.{name}-{suffix(6)}.svc.cluster.local",
        "internal_port": INTERNAL_PORTS[data["type"]],
        "external_hostname": None,  # external connections start disabled
        "external_port": None,
        "_password": data["db_password"],  # never returned
        **_start_transition(ctx, "creating", data["display_name"]),
    }


def _refuse_while_deleting(ctx: Context, body: Body) -> None:
    if body.get("_deleting_at") is not None:
        raise invalid_field("status", f"database {body['id']} is being deleted")


def update(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    _refuse_while_deleting(ctx, current)
    body = merge(ctx, current, changes)
    new_type = changes.get("resource_type_id")
    if new_type is not None and new_type != current["resource_type_id"]:
        body.update(_resource_fields(new_type))
        body.update(_start_transition(ctx, "updating", body["display_name"]))
    return body


def view(ctx: Context, body: Body) -> Body:
    shown = public_view(ctx, pending.current(ctx, body))
    shown["status"] = status_of(ctx, body)
    shown["is_suspended"] = shown["status"] == "suspended"
    return shown


def remove(ctx: Context, body: Body) -> None:
    """DELETE: "deleting" from now; `sweep` removes it (and its children) after the delete delay.
    A second DELETE while it is deleting is accepted and changes nothing."""
    if body.get("_deleting_at") is None:
        body["_deleting_at"] = ctx.now
        body["updated_at"] = iso_timestamp(ctx.now)
        ctx.store.replace(body["id"], body)


def sweep(ctx: Context) -> None:
    for body in ctx.store.marked("databases", "_deleting_at"):
        if ctx.now >= body["_deleting_at"] + ctx.db_delete_delay_seconds:
            ctx.store.delete_tree(body["id"])


DATABASES = Kind(
    name="databases",
    label="database",
    path="databases",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    update=update,
    view=view,
    remove=remove,
    sweep=sweep,
    summary=("id", "name", "display_name", "type", "status", "is_suspended", "created_at", "updated_at"),
)


# ---------------------------------------------------------------- suspend / activate (§7.2)
# Suspend is refused while creating, deleting, updating (or backing up) [DOCS]; the answer is a
# message. Emulator choices: suspend takes effect at once; activate goes through "updating".

NOT_SUSPENDABLE = ("creating", "updating", "deleting")


def _settle(ctx: Context, body: Body, settled: str, transition: str | None = None) -> None:
    body.update({"_transition": transition, "_transition_at": ctx.now, "_settled": settled})
    body["updated_at"] = iso_timestamp(ctx.now)
    ctx.store.replace(body["id"], body)


async def suspend(request: web.Request) -> web.Response:
    ctx, body = load(request, DATABASES)
    status = status_of(ctx, body)
    if status in NOT_SUSPENDABLE or status == "suspended":
        raise invalid_field("status", f"a database that is {status} cannot be suspended")
    _settle(ctx, body, "suspended")
    return web.json_response({"message": "Database suspension started"})


async def activate(request: web.Request) -> web.Response:
    ctx, body = load(request, DATABASES)
    status = status_of(ctx, body)
    if status != "suspended":
        raise invalid_field("status", f"a database that is {status} is not suspended")
    _settle(ctx, body, "ready", transition="updating")
    return web.json_response({"message": "Database activation started"})


# Restart (§6, §7.2): `updating` -> `ready`, only from ready|error|passwordChangeFailed|
# restoringFailed (the emulator has the first two), never while suspended or busy [DOCS]; the
# answer is a message. Choice: `updating` shows at once (the wait cannot miss it).
RESTARTABLE = ("ready", "error", "passwordChangeFailed", "restoringFailed")


async def restart(request: web.Request) -> web.Response:
    ctx, body = load(request, DATABASES)
    status = status_of(ctx, body)
    if status not in RESTARTABLE:
        raise invalid_field("status", f"a database that is {status} cannot be restarted")
    settled = "error" if body["display_name"] in ctx.db_error_display_names else "ready"
    _settle(ctx, body, settled, transition="updating")
    return web.json_response({"message": "Database restart started"})


# External connection toggle (§7.2): the answer is a message; after the ready delay the
# database's external_hostname / external_port are set (or null again). Refused unless "ready"
# and while an earlier toggle is under way. Choices: see FIDELITY.md "Routes of the official client".
EXTERNAL_PORT_BASE = 15000


async def toggle_external_connection(request: web.Request) -> web.Response:
    ctx, stored = load(request, DATABASES)
    status = status_of(ctx, stored)
    if status != "ready":
        raise invalid_field("status", f"a database that is {status} cannot change its external connection")
    pending.refuse_if_under_way(ctx, stored, "database")
    body = pending.current(ctx, stored)
    if body.get("external_hostname") is None:
        port = str(EXTERNAL_PORT_BASE + int(body["internal_port"]) % 1000)
        changes: Body = {
            "external_hostname": f"{body['name']}-{suffix(6)}.external.sevalla.app",
            "external_port": port,
        }
    else:
        changes = {"external_hostname": None, "external_port": None}
    pending.schedule(ctx, body, changes)
    return web.json_response({"message": "Database external connection change started"})


# `/_emulator/databases/{id}/status`: a test puts a database in a status at once (no auth).
FORCEABLE = ("ready", "error", "suspended")
_FORCE_FIELDS = {"status": string(required=True, choices=FORCEABLE)}


async def force_status(request: web.Request) -> web.Response:
    ctx = context(request, None)
    body = ctx.store.get(DATABASES.name, request.match_info["id"], None)
    if body is None:
        raise not_found(DATABASES.label, request.match_info["id"])
    _refuse_while_deleting(ctx, body)
    values = validate(await read_json_object(request), _FORCE_FIELDS, partial=False)
    _settle(ctx, body, values["status"])
    return web.json_response(render(DATABASES, ctx, body))


def add_routes(app: web.Application) -> None:
    app.router.add_post(f"{DATABASES.item_route}/suspend", suspend)
    app.router.add_post(f"{DATABASES.item_route}/activate", activate)
    app.router.add_post(f"{DATABASES.item_route}/restart", restart)
    app.router.add_post(f"{DATABASES.item_route}/external-connection/toggle", toggle_external_connection)
    app.router.add_put("/_emulator/databases/{id}/status", force_status)


# ---------------------------------------------------------------- internal connections (§7.2)
# A database's connections to applications or other databases in its cluster: a bare-array list,
# POST {target_id*, target_type*} (answers only {id}, as the real API), DELETE; no update. Names in
# the list are looked up at read time, so a renamed target shows its new display name. The list
# spells target_type as the real API does (appResource, dbResource), not as the POST does.

CONNECTION_TARGETS = {"app": ("applications", "application"), "database": ("databases", "database")}
CONNECTION_FIELDS = (
    "id", "source_id", "source_type", "source_name", "source_display_name", "target_id", "target_type",
    "target_name", "target_display_name",
)  # fmt: skip

# The POST's target_type -> the list's.
TARGET_TYPE_READ = {"app": "appResource", "database": "dbResource"}

CONNECTION_CREATE = {
    "target_id": string(required=True, min_len=1),
    "target_type": string(required=True, choices=tuple(CONNECTION_TARGETS)),
}


def build_connection(ctx: Context, data: dict[str, Any]) -> Body:
    assert ctx.parent is not None
    kind_name, label = CONNECTION_TARGETS[data["target_type"]]
    if ctx.store.get(kind_name, data["target_id"], None) is None:
        raise invalid_field("target_id", f"is not a known {label}")
    if data["target_id"] == ctx.parent["id"]:
        raise invalid_field("target_id", "must not be the database itself")
    if any(c["target_id"] == data["target_id"] for c in ctx.store.all(CONNECTIONS_KIND, ctx.parent["id"])):
        raise invalid_field("target_id", "is already connected to this database")
    return {"source_type": "database", "target_id": data["target_id"], "target_type": data["target_type"]}


def view_connection(ctx: Context, body: Body) -> Body:
    source = ctx.parent or {}
    target = ctx.store.get(CONNECTION_TARGETS[body["target_type"]][0], body["target_id"], None) or {}
    shown = {
        **body,
        "source_name": source.get("name"),
        "source_display_name": source.get("display_name"),
        "target_name": target.get("name"),
        "target_display_name": target.get("display_name"),
        "target_type": TARGET_TYPE_READ.get(body["target_type"], body["target_type"]),
    }
    return {key: shown.get(key) for key in CONNECTION_FIELDS}


CONNECTIONS_KIND = "database_internal_connections"
INTERNAL_CONNECTIONS = Kind(
    name=CONNECTIONS_KIND,
    label="internal connection",
    path="internal-connections",
    parent=DATABASES,
    id_param="connection_id",
    parent_field="source_id",
    create_fields=CONNECTION_CREATE,
    update_fields={},
    build=build_connection,
    view=view_connection,
    create_answer=only("id"),
    list_style="array",
    updatable=False,
)

KINDS = (DATABASES, INTERNAL_CONNECTIONS)

# `/databases/{id}/ip-restriction`: served by emulator/routes/singletons.py, like an application's.
IP_RESTRICTIONS = singletons.ip_restriction_of(DATABASES, "database_ip_restrictions")
