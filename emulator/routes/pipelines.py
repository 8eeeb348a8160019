"""Pipelines with their stages and the applications of each stage (reference §7.6).

- `/pipelines`: P of `{id,display_name,type,created_at,updated_at}`; POST `{display_name*,
  type* (trunk|branch), project_id}`; GET `/{id}` embeds `stages[]` (by `order`), each with
  `apps[{id,name,display_name}]` (as the CLI types it); PATCH `{display_name, type, project_id,
  stage_order}` where `stage_order` is a list of stage ids or of `{stage_id, order}` (both forms
  seen); DELETE.
- `…/stages`: POST `{display_name*, insert_before* (int >= 0), branch}`; DELETE `…/{stage_id}`.
  Orders are 0-based positions: a new stage takes `min(insert_before, count)` and the stages from
  there on move one down; a deleted stage's followers move up.
- `…/stages/{stage_id}/apps`: POST `{app_id*}` (an existing application, not already in the
  stage: 422); DELETE `…/apps/{app_id}`.

A change to a stage or its applications leaves the pipeline's `updated_at` as it is, although
the pipeline GET embeds them: a client may not take an unchanged `updated_at` to mean unchanged
stages.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from emulator.catalog import COMPANY_ID
from emulator.clock import iso_timestamp
from emulator.crud import Context, Kind, context, load, read_json_object, resolve_parent
from emulator.errors import invalid, invalid_field, not_found
from emulator.naming import new_id
from emulator.routes.common import PROJECT_ID, display_name
from emulator.store import Body
from emulator.validation import array, boolean, integer, string, validate

TYPES = ("trunk", "branch")
STAGES_KIND = "pipeline_stages"
STAGE_APPS_KIND = "pipeline_stage_apps"

CREATE = {
    "display_name": display_name(required=True),
    "type": string(required=True, choices=TYPES),
    "project_id": PROJECT_ID,
}
UPDATE = {
    "display_name": display_name(required=False),
    "type": string(choices=TYPES),
    "project_id": PROJECT_ID,
    "stage_order": array(),
}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    return {"company_id": COMPANY_ID, **data}


def _stages(ctx: Context, pipeline_id: str) -> list[Body]:
    return sorted(ctx.store.all(STAGES_KIND, pipeline_id), key=lambda stage: stage["order"])


def _renumber(ctx: Context, stages: list[Body]) -> None:
    """Store 0..n-1 as the orders of `stages`, in the given sequence."""
    for position, stage in enumerate(stages):
        if stage["order"] != position:
            ctx.store.replace(stage["id"], {**stage, "order": position})


def _stage_view(ctx: Context, stage: Body) -> Body:
    apps = []
    for member in ctx.store.all(STAGE_APPS_KIND, stage["id"]):
        app = ctx.store.get("applications", member["app_id"], None)
        if app is not None:  # an application deleted since is no longer shown
            apps.append({"id": app["id"], "name": app.get("name"), "display_name": app.get("display_name")})
    return {**{key: value for key, value in stage.items() if not key.startswith("_")}, "apps": apps}


def view(ctx: Context, body: Body) -> Body:
    shown = {key: value for key, value in body.items() if not key.startswith("_")}
    shown["stages"] = [_stage_view(ctx, stage) for stage in _stages(ctx, body["id"])]
    return shown


def _new_order(ctx: Context, pipeline_id: str, stage_order: list[Any]) -> list[Body]:
    stages = {stage["id"]: stage for stage in ctx.store.all(STAGES_KIND, pipeline_id)}
    if all(isinstance(item, str) for item in stage_order):
        wanted = list(stage_order)
    elif all(isinstance(item, dict) and isinstance(item.get("order"), int) for item in stage_order):
        wanted = [item.get("stage_id") for item in sorted(stage_order, key=lambda item: item["order"])]
    else:
        raise invalid_field("stage_order", "must be a list of stage ids or of {stage_id, order}")
    if sorted(map(str, wanted)) != sorted(stages):
        raise invalid_field("stage_order", "must name every stage of the pipeline exactly once")
    return [stages[str(stage_id)] for stage_id in wanted]


def update(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    changes = dict(changes)
    stage_order = changes.pop("stage_order", None)
    if stage_order is not None:
        _renumber(ctx, _new_order(ctx, current["id"], stage_order))
    return {**current, **changes}


PIPELINES = Kind(
    name="pipelines",
    label="pipeline",
    path="pipelines",
    create_fields=CREATE,
    update_fields=UPDATE,
    build=build,
    update=update,
    view=view,
    summary=("id", "display_name", "type", "created_at", "updated_at"),
)

STAGE_CREATE = {
    "display_name": display_name(required=True),
    "insert_before": integer(required=True, min_value=0),
    "branch": string(nullable=True, min_len=1, max_len=255),
}


def build_stage(ctx: Context, data: dict[str, Any]) -> Body:
    assert ctx.parent is not None
    stages = _stages(ctx, ctx.parent["id"])
    order = min(data["insert_before"], len(stages))
    _renumber(ctx, stages[:order] + [{"id": None, "order": order}] + stages[order:])
    preview = ctx.parent.get("type") == "branch" and data["branch"] is None
    return {
        "display_name": data["display_name"],
        "type": "preview" if preview else "standard",
        "order": order,
        "branch": data["branch"],
        "auto_create_app": False,
        "delete_stale_apps": False,
        "stale_app_days": 0,
    }


STAGES = Kind(
    name=STAGES_KIND,
    label="stage",
    path="stages",
    parent=PIPELINES,
    id_param="stage_id",
    parent_field="pipeline_id",
    create_fields=STAGE_CREATE,
    update_fields={},
    build=build_stage,
    updatable=False,
    deletable=False,  # served below: the followers move up
)

KINDS = (PIPELINES, STAGES)


async def delete_stage(request: web.Request) -> web.Response:
    ctx, stage = load(request, STAGES)
    assert ctx.parent is not None
    ctx.store.delete_tree(stage["id"])
    _renumber(ctx, _stages(ctx, ctx.parent["id"]))
    return web.Response(status=204)


def _stage_context(request: web.Request) -> tuple[Context, Body, Body]:
    """(context, pipeline, stage) of a `…/stages/{stage_id}/apps` request, or 404."""
    pipeline = resolve_parent(request, STAGES)
    assert pipeline is not None
    stage_id = request.match_info["stage_id"]
    ctx = context(request, pipeline)
    stage = ctx.store.get(STAGES_KIND, stage_id, pipeline["id"])
    if stage is None:
        raise not_found("stage", stage_id)
    return ctx, pipeline, stage


def _member_id(stage_id: str, app_id: str) -> str:
    return f"{stage_id}:{app_id}"


async def add_stage_app(request: web.Request) -> web.Response:
    ctx, pipeline, stage = _stage_context(request)
    data = validate(await read_json_object(request), {"app_id": string(required=True)}, partial=False)
    app_id = data["app_id"]
    if ctx.store.get("applications", app_id, None) is None:
        raise invalid({"app_id": ["is not a known application"]})
    member = _member_id(stage["id"], app_id)
    if ctx.store.get(STAGE_APPS_KIND, member, stage["id"]) is not None:
        raise invalid_field("app_id", "is already in this stage")
    now = iso_timestamp(ctx.now)
    ctx.store.insert(
        STAGE_APPS_KIND,
        member,
        stage["id"],
        {"id": member, "app_id": app_id, "stage_id": stage["id"], "created_at": now, "updated_at": now},
    )
    stage = ctx.store.get(STAGES_KIND, stage["id"], pipeline["id"]) or stage
    return web.json_response(_stage_view(ctx, stage), status=201)


async def remove_stage_app(request: web.Request) -> web.Response:
    ctx, pipeline, stage = _stage_context(request)
    app_id = request.match_info["app_id"]
    member = _member_id(stage["id"], app_id)
    if ctx.store.get(STAGE_APPS_KIND, member, stage["id"]) is None:
        raise not_found("stage application", app_id)
    ctx.store.delete_tree(member)
    return web.Response(status=204)


# ---------------------------------------------------------------- preview (§7.6)
# `POST …/preview/enable` adds the pipeline's preview stage (type "preview", first in order),
# `POST …/preview/disable` removes it, `PUT …/preview {repo_url, auto_create_app,
# delete_stale_apps, stale_app_days}` changes its fields; each answers a message and takes effect
# at once (read back with the pipeline GET). 422: enable with a preview stage already there,
# disable / PUT without one. Choices: FIDELITY.md "Routes of the official client".
PREVIEW_FIELDS = {
    "repo_url": string(nullable=True, max_len=2048),
    "auto_create_app": boolean(),
    "delete_stale_apps": boolean(),
    "stale_app_days": integer(min_value=0),
}


def _preview_stage(ctx: Context, pipeline_id: str) -> Body | None:
    return next((stage for stage in _stages(ctx, pipeline_id) if stage.get("type") == "preview"), None)


def _pipeline(request: web.Request) -> tuple[Context, Body]:
    ctx, pipeline = load(request, PIPELINES)
    return context(request, pipeline), pipeline


async def enable_preview(request: web.Request) -> web.Response:
    ctx, pipeline = _pipeline(request)
    if _preview_stage(ctx, pipeline["id"]) is not None:
        raise invalid_field("preview", "is already enabled")
    stages = _stages(ctx, pipeline["id"])
    _renumber(ctx, [{"id": None, "order": 0}, *stages])
    now = iso_timestamp(ctx.now)
    stage_id = new_id()
    ctx.store.insert(
        STAGES_KIND,
        stage_id,
        pipeline["id"],
        {
            "id": stage_id,
            "pipeline_id": pipeline["id"],
            "display_name": "Preview",
            "type": "preview",
            "order": 0,
            "branch": None,
            "repo_url": None,
            "auto_create_app": False,
            "delete_stale_apps": False,
            "stale_app_days": 0,
            "created_at": now,
            "updated_at": now,
        },
    )
    return web.json_response({"message": "Preview enabled"})


async def disable_preview(request: web.Request) -> web.Response:
    ctx, pipeline = _pipeline(request)
    stage = _preview_stage(ctx, pipeline["id"])
    if stage is None:
        raise invalid_field("preview", "is not enabled")
    ctx.store.delete_tree(stage["id"])
    _renumber(ctx, _stages(ctx, pipeline["id"]))
    return web.json_response({"message": "Preview disabled"})


async def update_preview(request: web.Request) -> web.Response:
    ctx, pipeline = _pipeline(request)
    changes = validate(await read_json_object(request), PREVIEW_FIELDS, partial=True)
    stage = _preview_stage(ctx, pipeline["id"])
    if stage is None:
        raise invalid_field("preview", "is not enabled")
    ctx.store.replace(stage["id"], {**stage, **changes, "updated_at": iso_timestamp(ctx.now)})
    return web.json_response({"message": "Preview settings updated"})


def add_routes(app: web.Application) -> None:
    """Routes beyond the generic CRUD: stage delete, stage applications, preview."""
    router = app.router
    router.add_delete(STAGES.item_route, delete_stage)
    router.add_post(f"{STAGES.item_route}/apps", add_stage_app)
    router.add_delete(f"{STAGES.item_route}/apps/{{app_id}}", remove_stage_app)
    router.add_post(f"{PIPELINES.item_route}/preview/enable", enable_preview)
    router.add_post(f"{PIPELINES.item_route}/preview/disable", disable_preview)
    router.add_put(f"{PIPELINES.item_route}/preview", update_preview)
