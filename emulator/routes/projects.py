"""Projects and the services attached to them (reference §7.7).

- `/projects`: generic CRUD (`display_name*`, 2-64); the list is summaries
  `{id, name, display_name, created_at, updated_at}`; `GET /projects/{id}` embeds
  `services[{id, name, display_name, type}]`.
- `POST /projects/{id}/services` `{service_id*, service_type*}` attaches an existing service and
  answers `{message}` (as the official provider expects); 422 when the service does not exist or
  is already attached. `DELETE /projects/{id}/services/{service_id}?service_type=<type>` (default
  `app`, as the CLI) detaches it: 204, or 404 when it is not attached.
- Service types are not documented (the CLI sends `app`, the official provider's example says
  `application`): any spelling is accepted (`app`, `application`, `APP`, `static-site`,
  `staticSite`, ...; one not recognised is looked up by the service's id in every kind), and
  `services[].type` answers another spelling than the one sent (`appResource`, `dbResource`,
  ... as internal connections do): the stricter choice, the provider must normalise.

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
from emulator.errors import invalid_field, not_found
from emulator.naming import new_id, service_name
from emulator.routes.common import display_name
from emulator.store import Body
from emulator.validation import string, validate

# Store kind of the service -> the spelling `services[].type` answers.
TYPE_ANSWERED = {
    "applications": "appResource",
    "databases": "dbResource",
    "static_sites": "staticSiteResource",
    "object_storage": "objectStorageResource",
    "pipelines": "pipelineResource",
    "load_balancers": "loadBalancerResource",
}
# Spellings of a service type (lower case, without "-", "_" and a "resource" suffix) -> store kind.
SPELLINGS = {
    "app": "applications", "application": "applications",
    "db": "databases", "database": "databases",
    "staticsite": "static_sites", "site": "static_sites",
    "objectstorage": "object_storage", "bucket": "object_storage", "storage": "object_storage",
    "pipeline": "pipelines",
    "loadbalancer": "load_balancers", "lb": "load_balancers",
}  # fmt: skip
DEFAULT_SERVICE_TYPE = "app"
SERVICE_FIELDS = {
    "service_id": string(required=True, min_len=1),
    "service_type": string(required=True, min_len=1),
}


def stored_kind(service_type: str, service_id: str, ctx: Context) -> str | None:
    """The store kind a service type names; a spelling not recognised: the kind holding a
    service with this id (None: there is none)."""
    word = "".join(char for char in service_type.lower() if char.isalnum())
    word = word.removesuffix("resource").removesuffix("s")
    if word in SPELLINGS:
        return SPELLINGS[word]
    return next((kind for kind in TYPE_ANSWERED if ctx.store.get(kind, service_id, None) is not None), None)


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
    return ctx.store.get(attachment["service_kind"], attachment["service_id"], None)


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
                    "type": TYPE_ANSWERED[attachment["service_kind"]],
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
    kind = stored_kind(data["service_type"], data["service_id"], ctx)
    attachment = {"service_id": data["service_id"], "service_kind": kind or ""}
    if kind is None or _service(ctx, attachment) is None:
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
    kind = stored_kind(service_type, service_id, ctx)
    for attachment in _attachments(ctx, project["id"]):
        if attachment["service_id"] == service_id and attachment["service_kind"] == kind:
            ctx.store.delete_tree(attachment["id"])
            return web.Response(status=204)
    raise not_found(f"{service_type} in project", service_id)


def add_routes(app: web.Application) -> None:
    services = f"{PROJECTS.item_route}/services"
    app.router.add_post(services, add_service)
    app.router.add_delete(f"{services}/{{service_id}}", remove_service)
