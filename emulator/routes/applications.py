"""Applications and their env vars, domains and processes (reference §7.1, §8.1, §8.4)."""

from __future__ import annotations

import random
from typing import Any

import attrs
from aiohttp import web

from emulator import pending
from emulator.catalog import CLUSTERS, COMPANY_ID, PROCESS_RESOURCE_TYPES, USER_ID, by_id, known
from emulator.clock import iso_timestamp
from emulator.crud import Context, Kind, Unique, create_object, load, merge, public_view
from emulator.errors import invalid_field
from emulator.naming import service_name, slugify, suffix
from emulator.routes.common import ENV_KEY, ENV_VALUE, GIT_TYPE, PROJECT_ID, display_name
from emulator.routes.domains import domains_of
from emulator.store import Body
from emulator.validation import array, boolean, integer, obj, string

SOURCES = ("privateGit", "publicGit", "dockerImage")
BUILD_TYPES = ("dockerfile", "pack", "nixpacks")

# ---------------------------------------------------------------- applications

APP_CREATE = {
    "display_name": display_name(required=True),
    # Accepted and kept (as _cluster_id) but never returned: the real API does not return it.
    "cluster_id": string(required=True, check=known(CLUSTERS, "cluster")),
    "source": string(required=True, choices=SOURCES),
    "project_id": PROJECT_ID,
    "git_type": GIT_TYPE,
    "repo_url": string(nullable=True, max_len=2048),
    "default_branch": string(nullable=True, min_len=1, max_len=255),
    "docker_image": string(nullable=True, max_len=1024),
    "docker_registry_credential_id": string(nullable=True),
}

APP_UPDATE = {
    "display_name": display_name(required=False),
    "auto_deploy": boolean(),
    "default_branch": string(nullable=True, min_len=1, max_len=255),
    "hibernation_enabled": boolean(),
    "hibernate_after_seconds": integer(min_value=0),
    "build_type": string(choices=BUILD_TYPES),
    "build_path": string(nullable=True),
    "dockerfile_path": string(nullable=True),
    "docker_context": string(nullable=True),
    "build_cache_enabled": boolean(),
    "docker_registry_credential_id": string(nullable=True),
    "pack_builder": string(nullable=True),
    "nixpacks_version": string(nullable=True),
    "allow_deploy_paths": array(string()),
    "ignore_deploy_paths": array(string()),
    "buildpacks": array(obj({"order": integer(required=True, min_value=0), "source": string(required=True)})),
    "source": string(choices=SOURCES),
    "git_type": GIT_TYPE,
    "repo_url": string(nullable=True, max_len=2048),
    "docker_image": string(nullable=True, max_len=1024),
}


def build_application(ctx: Context, data: dict[str, Any]) -> Body:
    name = service_name(data["display_name"])
    return {
        "company_id": COMPANY_ID,
        "project_id": data["project_id"],
        "name": name,
        "namespace": f"{name}-{suffix(6)}",
        "display_name": data["display_name"],
        "source": data["source"],
        "type": "app",
        "status": "inactive",  # nothing deployed yet
        "build_cache_enabled": True,
        "hibernation_enabled": False,
        "hibernate_after_seconds": 3600,
        "auto_deploy": True,
        "wait_for_checks": False,
        "is_suspended": False,
        "git_type": data["git_type"],
        "repo_url": data["repo_url"],
        "default_branch": data["default_branch"],
        "docker_image": data["docker_image"],
        "docker_registry_credential_id": data["docker_registry_credential_id"],
        "build_type": "dockerfile",
        "build_path": ".",
        "pack_builder": None,
        "nixpacks_version": None,
        "dockerfile_path": "Dockerfile",
        "docker_context": ".",
        "allow_deploy_paths": [],
        "ignore_deploy_paths": [],
        "buildpacks": [],
        "is_cdn_enabled": False,  # emulator's name: see FIDELITY.md "Routes of the official client"
        "created_by": USER_ID,
        "_cluster_id": data["cluster_id"],
    }


def create_default_process(ctx: Context, app: Body) -> None:
    """Every new application gets a "web" process, as on the real platform."""
    create_object(
        attrs.evolve(ctx, parent=app),
        PROCESSES,
        {
            "key": "web",
            "display_name": "Web process",
            "type": "web",
            "resource_type_id": PROCESS_RESOURCE_TYPES[0]["id"],
            "scaling_strategy": {"type": "manual", "config": {"instanceCount": 1}},
            "entrypoint": None,
            "port": 8080,
            "schedule": None,
            "time_zone": None,
            "job_start_policy": None,
            "liveness_probe": None,
            "readiness_probe": None,
        },
    )


# What only one build type uses: a PATCH nulls it unless the application has that build type
# (as the real API does), whatever the PATCH sent.
BUILD_TYPE_FIELDS = {
    "dockerfile_path": "dockerfile",
    "docker_context": "dockerfile",
    "pack_builder": "pack",
    "nixpacks_version": "nixpacks",
}


def update_application(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    body = merge(ctx, current, changes)
    for name, build_type in BUILD_TYPE_FIELDS.items():
        if body.get("build_type") != build_type:
            body[name] = None
    return body


APPLICATIONS = Kind(
    name="applications",
    label="application",
    path="applications",
    create_fields=APP_CREATE,
    update_fields=APP_UPDATE,
    build=build_application,
    update=update_application,
    after_create=create_default_process,
    view=lambda ctx, body: public_view(ctx, pending.current(ctx, body)),
    summary=(
        "id",
        "name",
        "display_name",
        "status",
        "type",
        "source",
        "is_suspended",
        "created_at",
        "updated_at",
    ),
)

# ---------------------------------------------------------------- env vars

ENV_CREATE = {
    "key": ENV_KEY,
    "value": ENV_VALUE,
    "is_runtime": boolean(default=True),
    "is_buildtime": boolean(default=True),
}


def build_env_var(ctx: Context, data: dict[str, Any]) -> Body:
    return dict(data)


APP_ENV_VARS = Kind(
    name="application_env_vars",
    label="env var",
    path="env-vars",
    parent=APPLICATIONS,
    id_param="env_id",
    parent_field="app_id",
    create_fields=ENV_CREATE,
    update_fields=ENV_CREATE,  # PUT: any of them, none required
    build=build_env_var,
    update_method="PUT",
    unique=Unique(stored="key", field="key"),
)

APP_DOMAINS = domains_of(APPLICATIONS, "application_domains")

# ---------------------------------------------------------------- processes

PROCESS_TYPES = ("web", "worker", "cron", "job")
JOB_START_POLICIES = ("beforeDeployment", "afterSuccessDeployment", "afterFailedDeployment")
MANUAL_CONFIG = ("instanceCount",)
HORIZONTAL_CONFIG = (
    "minInstanceCount",
    "maxInstanceCount",
    "targetCpuPercent",
    "targetMemoryPercent",
    "scaleUpIntervalSeconds",
    "scaleUpIncrement",
    "scaleDownIntervalSeconds",
    "scaleDownIncrement",
)


def check_scaling(value: dict[str, Any]) -> str | None:
    """The config keys are camelCase and depend on the strategy type."""
    allowed = {"manual": MANUAL_CONFIG, "horizontal": HORIZONTAL_CONFIG}.get(value.get("type", ""))
    config = value.get("config") or {}
    if allowed is None or not isinstance(config, dict):
        return None  # the type or config problem is already reported
    unknown = sorted(set(config) - set(allowed))
    if unknown:
        return f"config has unknown keys {', '.join(unknown)}; allowed: {', '.join(allowed)}"
    for key, number in config.items():
        if not isinstance(number, int) or isinstance(number, bool) or number < 0:
            return f"config.{key} must be a non-negative integer"
    return None


SCALING = obj(
    {"type": string(required=True, choices=("manual", "horizontal")), "config": obj()},
    required=True,
    check=check_scaling,
)
PORT = integer(nullable=True, min_value=1, max_value=65535)
PROBE = obj(
    {
        "exec": obj({"command": array(string(), required=True, min_len=1)}),
        "httpGet": obj(
            {
                "path": string(),
                "port": integer(min_value=1, max_value=65535),
                "host": string(),
                "scheme": string(choices=("HTTP", "HTTPS")),
                "httpHeaders": array(obj({"name": string(required=True), "value": string(required=True)})),
            }
        ),
        "tcpSocket": obj({"port": integer(required=True, min_value=1, max_value=65535), "host": string()}),
        "initialDelaySeconds": integer(min_value=0),
        "periodSeconds": integer(min_value=1),
        "timeoutSeconds": integer(min_value=1),
        "successThreshold": integer(min_value=1),
        "failureThreshold": integer(min_value=1),
    },
    nullable=True,
)

PROCESS_CREATE = {
    "display_name": string(required=True, min_len=1, max_len=64),
    "type": string(required=True, choices=PROCESS_TYPES),
    "resource_type_id": string(required=True, check=known(PROCESS_RESOURCE_TYPES, "process resource type")),
    "scaling_strategy": SCALING,
    "entrypoint": string(nullable=True, max_len=4096),
    "port": PORT,
    "schedule": string(nullable=True),
    "time_zone": string(nullable=True),
    "job_start_policy": string(nullable=True, choices=JOB_START_POLICIES),
    "liveness_probe": PROBE,
    "readiness_probe": PROBE,
}
PROCESS_UPDATE = {
    **PROCESS_CREATE,
    "is_ingress_enabled": boolean(),
    "ingress_protocol": string(choices=("http", "grpc")),
}


def _resource_fields(resource_type_id: str) -> Body:
    resource = by_id(PROCESS_RESOURCE_TYPES, resource_type_id) or {}
    return {
        "resource_type_id": resource_type_id,
        "resource_type_name": resource.get("name"),
        "cpu_limit": resource.get("cpu_limit"),
        "memory_limit": resource.get("memory_limit"),
    }


def _unique_key(ctx: Context, base: str) -> str:
    assert ctx.parent is not None
    taken = {process["key"] for process in ctx.store.all(PROCESSES.name, ctx.parent["id"])}
    key, number = base, 2
    while key in taken:
        key, number = f"{base}-{number}", number + 1
    return key


def _require_schedule(body: Body) -> None:
    if body["type"] == "cron" and not body.get("schedule"):
        raise invalid_field("schedule", "is required for cron processes")


def build_process(ctx: Context, data: dict[str, Any]) -> Body:
    app = ctx.parent
    assert app is not None
    # "key" is not a request field; only the default process passes it.
    key = data.get("key") or _unique_key(ctx, slugify(data["display_name"]))
    is_web = data["type"] == "web"
    body: Body = {
        "key": key,
        "type": data["type"],
        "display_name": data["display_name"],
        "entrypoint": data["entrypoint"],
        "port": data["port"] if data["port"] is not None else (8080 if is_web else None),
        "is_ingress_enabled": is_web,
        "ingress_protocol": "http" if is_web else None,
        "scaling_strategy": data["scaling_strategy"],
        **_resource_fields(data["resource_type_id"]),
        "schedule": data["schedule"],
        "time_zone": data["time_zone"],
        "job_start_policy": data["job_start_policy"],
        "liveness_probe": data["liveness_probe"],
        "readiness_probe": data["readiness_probe"],
        "internal_hostname": f"{app['name']}-{key}.{app['namespace']}.svc.cluster.local",
    }
    if data.get("key"):
        body["_implicit"] = True  # made by the platform, not by a client: see /_emulator/objects/list
    _require_schedule(body)
    return body


def update_process(ctx: Context, current: Body, changes: dict[str, Any]) -> Body:
    body = merge(ctx, current, changes)
    if "resource_type_id" in changes:
        body.update(_resource_fields(changes["resource_type_id"]))
    _require_schedule(body)
    return body


PROCESSES = Kind(
    name="application_processes",
    label="process",
    path="processes",
    parent=APPLICATIONS,
    id_param="pid",
    parent_field="app_id",
    create_fields=PROCESS_CREATE,
    update_fields=PROCESS_UPDATE,
    build=build_process,
    update=update_process,
)

# ---------------------------------------------------------------- TCP proxies and private ports

PROCESS_PORT = {
    "process_id": string(required=True),
    "port": integer(required=True, min_value=1, max_value=65535),
}


def _process_port(ctx: Context, data: dict[str, Any]) -> Body:
    """The fields both kinds share; the process must belong to the application (else 422)."""
    assert ctx.parent is not None
    if ctx.store.get(PROCESSES.name, data["process_id"], ctx.parent["id"]) is None:
        raise invalid_field("process_id", "is not a process of this application")
    return {
        "process_id": data["process_id"],
        "port": data["port"],
        "status": "active",
        "_process_port": f"{data['process_id']}:{data['port']}",
    }


def build_tcp_proxy(ctx: Context, data: dict[str, Any]) -> Body:
    assert ctx.parent is not None
    return {
        **_process_port(ctx, data),
        "external_port": random.randint(30000, 32767),
        "hostname": f"{ctx.parent['name']}.tcp.sevalla.app",
    }


def build_private_port(ctx: Context, data: dict[str, Any]) -> Body:
    return _process_port(ctx, data)


def _process_port_kind(name: str, label: str, path: str, id_param: str, build: Any) -> Kind:
    return Kind(
        name=name,
        label=label,
        path=path,
        parent=APPLICATIONS,
        id_param=id_param,
        parent_field="app_id",
        create_fields=PROCESS_PORT,
        update_fields={},
        build=build,
        updatable=False,
        unique=Unique(stored="_process_port", field="port"),
    )


TCP_PROXIES = _process_port_kind(
    "application_tcp_proxies", "tcp proxy", "tcp-proxies", "tp_id", build_tcp_proxy
)
PRIVATE_PORTS = _process_port_kind(
    "application_private_ports", "private port", "private-ports", "pp_id", build_private_port
)

# ---------------------------------------------------------------- global env vars

# Company-wide, inherited by every application. Their routes must be registered before
# /applications/{id}, which would otherwise take "global-env-vars" for an application id.
GLOBAL_ENV_VARS = Kind(
    name="global_env_vars",
    label="global env var",
    path="applications/global-env-vars",
    id_param="gev_id",
    create_fields=ENV_CREATE,
    update_fields=ENV_CREATE,
    build=build_env_var,
    update_method="PUT",
    unique=Unique(stored="key", field="key"),
    readable=False,  # the real API has no GET of one global variable: it is read from the list
)

KINDS = (GLOBAL_ENV_VARS, APPLICATIONS, APP_ENV_VARS, APP_DOMAINS, PROCESSES, TCP_PROXIES, PRIVATE_PORTS)


# ---------------------------------------------------------------- suspend / activate / CDN (§7.1)
# Suspend and activate answer a message and take effect after the ready delay (the GET shows the
# old state until then); CDN toggle answers {is_turned_on} and takes effect at once. See
# emulator/FIDELITY.md "Routes of the official client".


async def suspend_application(request: web.Request) -> web.Response:
    ctx, stored = load(request, APPLICATIONS)
    pending.refuse_if_under_way(ctx, stored, "application")
    body = pending.current(ctx, stored)
    if body.get("is_suspended"):
        raise invalid_field("status", f"application {body['id']} is already suspended")
    pending.schedule(
        ctx, body, {"is_suspended": True, "status": "suspended", "_status_before_suspend": body.get("status")}
    )
    return web.json_response({"message": "Application suspension started"})


async def activate_application(request: web.Request) -> web.Response:
    ctx, stored = load(request, APPLICATIONS)
    pending.refuse_if_under_way(ctx, stored, "application")
    body = pending.current(ctx, stored)
    if not body.get("is_suspended"):
        raise invalid_field("status", f"application {body['id']} is not suspended")
    pending.schedule(
        ctx, body, {"is_suspended": False, "status": body.get("_status_before_suspend") or "inactive"}
    )
    return web.json_response({"message": "Application activation started"})


async def toggle_cdn(request: web.Request) -> web.Response:
    ctx, stored = load(request, APPLICATIONS)
    body = {**stored, "is_cdn_enabled": not stored.get("is_cdn_enabled", False)}
    body["updated_at"] = iso_timestamp(ctx.now)
    ctx.store.replace(body["id"], body)
    return web.json_response({"is_turned_on": body["is_cdn_enabled"]})


def add_routes(app: web.Application) -> None:
    """Routes beyond the generic CRUD: suspend, activate, CDN toggle."""
    app.router.add_post(f"{APPLICATIONS.item_route}/suspend", suspend_application)
    app.router.add_post(f"{APPLICATIONS.item_route}/activate", activate_application)
    app.router.add_post(f"{APPLICATIONS.item_route}/cdn/toggle", toggle_cdn)
