"""Application deployments (reference §6, §7.1, §8.6): list, trigger, read, cancel.

A deployment starts `waiting` and moves waiting -> building -> deploying -> success, each phase a
third of `deploy_seconds()` (env `SEVALLA_EMULATOR_DEPLOY_SECONDS`, default 1 s in total);
the status is derived from stored timestamps at read time, like databases' `_transition_at`.

To make one fail: deploy a branch named `fail`, or a Docker image whose name contains `fail`
(the deployment's branch and image default to the application's) — it ends `failed`.
`POST …/deployments/{dep_id}/cancel` ends a running deployment `cancelled`; a finished one
answers 422. There is no update or delete.
"""

from __future__ import annotations

import os
from typing import Any

from aiohttp import web

from emulator.clock import iso_timestamp
from emulator.crud import Context, Kind, load, public_view, render
from emulator.errors import invalid_field
from emulator.routes.applications import APPLICATIONS
from emulator.store import Body
from emulator.validation import boolean, string

DEPLOY_SECONDS_ENV = "SEVALLA_EMULATOR_DEPLOY_SECONDS"
DEFAULT_DEPLOY_SECONDS = 1.0
# Running statuses in order; each lasts an equal share of the deployment's duration.
PHASES = ("waiting", "building", "deploying")
TERMINAL = ("success", "failed", "cancelled")


def deploy_seconds() -> float:
    """How long a deployment runs; read on every trigger so tests can change it."""
    return max(0.0, float(os.environ.get(DEPLOY_SECONDS_ENV, DEFAULT_DEPLOY_SECONDS)))


def should_fail(branch: str | None, docker_image: str | None) -> bool:
    return branch == "fail" or "fail" in (docker_image or "")


CREATE = {
    "branch": string(nullable=True, min_len=1, max_len=255),
    "docker_image": string(nullable=True, max_len=1024),
    "is_restart": boolean(default=False),
}


def build(ctx: Context, data: dict[str, Any]) -> Body:
    app = ctx.parent
    assert app is not None
    branch = data["branch"] or app.get("default_branch")
    docker_image = data["docker_image"] or app.get("docker_image")
    is_docker = app.get("source") == "dockerImage"
    return {
        "status": "waiting",
        "type": "restart" if data["is_restart"] else ("docker" if is_docker else "git"),
        "trigger": "api",
        "is_restart": data["is_restart"],
        "steps": [],
        "docker_image_url": docker_image if is_docker else None,
        "git_type": app.get("git_type"),
        "repo_url": app.get("repo_url"),
        "branch": None if is_docker else branch,
        "commit_sha": None,
        "commit_message": None,
        "author_login": None,
        "author_img": None,
        "started_at": iso_timestamp(ctx.now),
        "finished_at": None,
        "_started": ctx.now,
        "_seconds": deploy_seconds(),
        "_outcome": "failed" if should_fail(branch, docker_image) else "success",
        "_ended": None,  # set by cancel
    }


def _status(ctx: Context, body: Body) -> tuple[str, float | None]:
    """(status, finished epoch or None) at the context's time."""
    ended = body.get("_ended")
    if ended is not None:
        return "cancelled", ended
    finish = body["_started"] + body["_seconds"]
    if ctx.now >= finish:
        return body["_outcome"], finish
    phase = int((ctx.now - body["_started"]) / (body["_seconds"] / len(PHASES)))
    return PHASES[min(phase, len(PHASES) - 1)], None


def view(ctx: Context, body: Body) -> Body:
    shown = public_view(ctx, body)
    status, finished = _status(ctx, body)
    shown["status"] = status
    shown["finished_at"] = None if finished is None else iso_timestamp(finished)
    return shown


DEPLOYMENTS = Kind(
    name="application_deployments",
    label="deployment",
    path="deployments",
    parent=APPLICATIONS,
    id_param="dep_id",
    parent_field="app_id",
    create_fields=CREATE,
    update_fields={},
    build=build,
    view=view,
    updatable=False,
    deletable=False,
)

KINDS = (DEPLOYMENTS,)


async def cancel(request: web.Request) -> web.Response:
    ctx, body = load(request, DEPLOYMENTS)
    status, _ = _status(ctx, body)
    if status in TERMINAL:
        raise invalid_field("status", f"deployment already finished ({status})")
    body["_ended"] = ctx.now
    body["updated_at"] = iso_timestamp(ctx.now)
    ctx.store.replace(body["id"], body)
    return web.json_response(render(DEPLOYMENTS, ctx, body))


def add_routes(app: web.Application) -> None:
    app.router.add_post(f"{DEPLOYMENTS.item_route}/cancel", cancel)
