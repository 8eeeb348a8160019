"""Projects and the services attached to them (reference §7.7).

- `/projects`: generic CRUD (`display_name*`, 2-64); the list is summaries
  `{id, name, display_name, created_at, updated_at}`; `GET /projects/{id}` embeds
  `services[{id, name, display_name, type}]`.
- `POST /projects/{id}/services` `{service_id*, service_type*}` attaches an existing service and
  answers `{message}` (as the official provider expects); 422 when the service does not exist or
  is already attached. `DELETE /projects/{id}/services/{service_id}?service_type=<type>` (default
  `app`, as the CLI) detaches it: 204, or 404 when it is not attached.

An attachment is stored as a child of the project (kind `project_services`), so deleting the
project drops its attachments; the service itself is untouched (its own `project_id` is not
rewritten), and the project's `updated_at` does not change. A service deleted elsewhere no
longer shows in `services[]`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulator.catalog import COMPANY_ID
from emulator.clock import iso_timestamp
from emulator.crud import Context, Kind, context, public_view, read_json_object
from emulator.errors import invalid, invalid_field, not_found
from emulator.naming import new_id, service_name
from emulator.routes.common import display_name
from emulator.store import Body
from emulator.validation import string, validate

# service_type -> store kind of the service. Kinds not served by this emulator (yet) simply
# never match, so attaching one answers 422.
SERVICE_KINDS = {
    "app": "applications",
    "database": "databases",
    "static-site": "static_sites",
    "object-storage": "object_storage",
    "pipeline": "pipelines",
    "load-balancer": "load_balancers",
}
DEFAULT_SERVICE_TYPE = "app"
SERVICE_FIELDS = {
    "service_id": string(required=True, min_len=1),
    "service_type": string(required=True, choices=tuple(SERVICE_KINDS)),
}
ATTACHMENTS = "project_services"

CREATE = {"display_name": display_name(required=True)}
UPDATE = {"display_name": display_name(required=False)}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    return {
        "company_id": COMPANY_ID,
        "name": service_name(data["display_name"]),
        "display_name": data["display_name"],
    }


def _attachments(ctx: Context, project_id: str) -> list[Body]:
    return ctx.store.all(ATTACHMENTS, project_id)


def _service(ctx: Context, attachment: Body) -> Body | None:
    kind = SERVICE_KINDS.get(attachment["service_type"], "")
    return ctx.store.get(kind, attachment["service_id"], None)


def view(ctx: Context, body: Body) -> Body:
    services = []
    for attachment in _attachments(ctx, body["id"]):
        service = _service(ctx, attachment)
        if service is not None:
            services.append(
                {
                    "id": service["id"],
                    "name": service.get("name"),
                    "display_name": service.get("display_name"),
                    "type": attachment["service_type"],
                }
            )
    return {**public_view(ctx, body), "services": services}


PROJECTS = Kind(
    name="projects",
    label="project",
    path="projects",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    view=view,
    summary=("id", "name", "display_name", "created_at", "updated_at"),
)

KINDS = (PROJECTS,)


def _project_context(request: web.Request) -> tuple[Context, Body]:
    project_id = request.match_info["id"]
    ctx = context(request, None)
    project = ctx.store.get(PROJECTS.name, project_id, None)
    if project is None:
        raise not_found(PROJECTS.label, project_id)
    return context(request, project), project


async def add_service(request: web.Request) -> web.Response:
    ctx, project = _project_context(request)
    data = validate(await read_json_object(request), SERVICE_FIELDS, partial=False)
    attachment = {"service_id": data["service_id"], "service_type": data["service_type"]}
    if _service(ctx, attachment) is None:
        raise invalid_field("service_id", f"is not a known {data['service_type']}")
    for item in _attachments(ctx, project["id"]):
        if _service(ctx, item) is None:  # its service was deleted since: drop the leftover
            ctx.store.delete_tree(item["id"])
        elif item["service_id"] == data["service_id"]:
            raise invalid_field("service_id", "is already attached to this project")
    row = {"id": new_id(), "project_id": project["id"], **attachment, "created_at": iso_timestamp(ctx.now)}
    ctx.store.insert(ATTACHMENTS, row["id"], project["id"], row)
    return web.json_response({"message": "Service added to project"}, status=201)


async def remove_service(request: web.Request) -> web.Response:
    ctx, project = _project_context(request)
    service_id = request.match_info["service_id"]
    service_type = request.query.get("service_type", DEFAULT_SERVICE_TYPE)
    if service_type not in SERVICE_KINDS:
        raise invalid({"service_type": ["must be one of: " + ", ".join(SERVICE_KINDS)]})
    for attachment in _attachments(ctx, project["id"]):
        if attachment["service_id"] == service_id and attachment["service_type"] == service_type:
            ctx.store.delete_tree(attachment["id"])
            return web.Response(status=204)
    raise not_found(f"{service_type} in project", service_id)


def add_routes(app: web.Application) -> None:
    services = f"{PROJECTS.item_route}/services"
    app.router.add_post(services, add_service)
    app.router.add_delete(f"{services}/{{service_id}}", remove_service)
