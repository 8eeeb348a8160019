"""sevalla_application_process: a process (web, worker, cron or job) of an application.

Every application already has a "web" process the platform creates with it; this resource does
not adopt it: a `type = "web"` process resource creates an additional web process. (Import the
default one with `terraform import sevalla_application_process.x <application_id>/<process_id>`
to manage it.)

`scaling_strategy` and the probes are snake_case nested attributes in HCL and camelCase on the
wire (`{"type": "manual", "config": {"instanceCount": 1}}`, `httpGet`, `initialDelaySeconds`);
`to_wire` / `from_wire` in resources/_base.py convert, the scaling strategy's flat HCL form to
and from the API's `{type, config}` here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsAttribute, PvsSchema, a_bool, a_list, a_num, a_obj, a_str, s_resource

from provider.client.kinds import APPLICATION_PROCESS
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import (
    ApplicationChild,
    Problem,
    application_id_attribute,
    from_wire,
    json_ready,
    one_of,
    patch_or_read,
    pick,
    plan_changes,
    timestamp_attributes,
    to_wire,
    typed,
    unknown_number,
    unknown_string,
)
from resources._checks import (
    is_number,
    is_text,
    known_items,
    length_between,
    matches,
    port,
    whole_number,
)

TYPES = ("web", "worker", "cron", "job")
JOB_START_POLICIES = ("beforeDeployment", "afterSuccessDeployment", "afterFailedDeployment")
SCALING_TYPES = ("manual", "horizontal")
MANUAL_FIELDS = ("instance_count",)
HORIZONTAL_FIELDS = (
    "min_instance_count", "max_instance_count", "target_cpu_percent", "target_memory_percent",
    "scale_up_interval_seconds", "scale_up_increment", "scale_down_interval_seconds", "scale_down_increment",
)  # fmt: skip
COUNTS = ("instance_count", "min_instance_count", "max_instance_count")
PROBES = ("liveness_probe", "readiness_probe")
PROBE_HANDLERS = ("exec", "http_get", "tcp_socket")
CREATE_FIELDS = (
    "display_name", "type", "resource_type_id", "scaling_strategy", "entrypoint", "port", "schedule",
    "time_zone", "job_start_policy", "liveness_probe", "readiness_probe",
)  # fmt: skip
PATCH_ONLY = ("is_ingress_enabled", "ingress_protocol")
UPDATABLE = tuple(name for name in CREATE_FIELDS if name != "type") + PATCH_ONLY
FROM_API = (
    "id", "display_name", "type", "resource_type_id", "entrypoint", "port", "schedule", "time_zone",
    "job_start_policy", "is_ingress_enabled", "ingress_protocol", "key", "resource_type_name",
    "cpu_limit", "memory_limit", "internal_hostname", "created_at", "updated_at",
)  # fmt: skip


def _number(description: str) -> PvsAttribute:
    return a_num(optional=True, description=description)


SCALING_STRATEGY = a_obj(
    {
        "type": a_str(required=True, description="manual or horizontal."),
        "instance_count": _number("Instances (manual; 0-50)."),
        "min_instance_count": _number("Fewest instances (horizontal; 0-50)."),
        "max_instance_count": _number("Most instances (horizontal; 0-50)."),
        "target_cpu_percent": _number("CPU use to scale at (horizontal)."),
        "target_memory_percent": _number("Memory use to scale at (horizontal)."),
        "scale_up_interval_seconds": _number("Seconds between scale-ups (horizontal)."),
        "scale_up_increment": _number("Instances added per scale-up (horizontal)."),
        "scale_down_interval_seconds": _number("Seconds between scale-downs (horizontal)."),
        "scale_down_increment": _number("Instances removed per scale-down (horizontal)."),
    },
    required=True,
    description="How many instances run: manual (instance_count) or horizontal autoscaling.",
)


def probe_attribute(which: str) -> PvsAttribute:
    return a_obj(
        {
            "exec": a_obj(
                {"command": a_list(a_str(), required=True, description="Command and arguments.")},
                optional=True,
                description="Run a command in the container.",
            ),
            "http_get": a_obj(
                {
                    "path": a_str(optional=True, description="Request path."),
                    "port": a_num(optional=True, description="Port."),
                    "host": a_str(optional=True, description="Host name."),
                    "scheme": a_str(optional=True, description="HTTP or HTTPS."),
                    "http_headers": a_list(
                        a_obj({"name": a_str(), "value": a_str()}),
                        optional=True,
                        description="Request headers, each { name, value }.",
                    ),
                },
                optional=True,
                description="Make an HTTP GET request.",
            ),
            "tcp_socket": a_obj(
                {
                    "host": a_str(optional=True, description="Host name."),
                    "port": a_num(required=True, description="Port."),
                },
                optional=True,
                description="Open a TCP connection.",
            ),
            "initial_delay_seconds": _number("Seconds before the first probe."),
            "period_seconds": _number("Seconds between probes."),
            "timeout_seconds": _number("Seconds before a probe times out."),
            "success_threshold": _number("Successes to count as healthy."),
            "failure_threshold": _number("Failures to count as unhealthy."),
        },
        optional=True,
        computed=True,
        description=f"{which} probe: one of exec, http_get or tcp_socket, plus timings.",
    )


PROBE_TYPE = probe_attribute("").type


def scaling_to_wire(strategy: dict[str, Any]) -> dict[str, Any]:
    config = {name: value for name, value in strategy.items() if name != "type"}
    return {"type": strategy["type"], "config": to_wire(config)}


def scaling_from_wire(wire: dict[str, Any] | None) -> dict[str, Any] | None:
    if wire is None:
        return None
    flat = {"type": wire.get("type"), **(wire.get("config") or {})}
    result: dict[str, Any] | None = from_wire(flat, SCALING_STRATEGY.type)
    return result


def api_body(values: Any, names: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """The named fields in the API's shape."""
    body: dict[str, Any] = {}
    for name in names:
        value = getattr(values, name)
        if name == "scaling_strategy":
            body[name] = scaling_to_wire(value)
        elif name in PROBES:
            body[name] = None if value is None else to_wire(value)
        else:
            body[name] = json_ready(value)
    return body


@attrs.define(frozen=True)
class ProcessConfig:
    application_id: str
    display_name: str
    type: str
    resource_type_id: str
    scaling_strategy: dict[str, Any]
    entrypoint: str | None = None
    port: int | None = None
    schedule: str | None = None
    job_start_policy: str | None = None
    time_zone: str | None = None
    is_ingress_enabled: bool | None = None
    ingress_protocol: str | None = None
    liveness_probe: dict[str, Any] | None = None
    readiness_probe: dict[str, Any] | None = None


@attrs.define(frozen=True)
class ProcessState(ProcessConfig):
    id: str | None = None
    key: str | None = None
    resource_type_name: str | None = None
    cpu_limit: int | None = None
    memory_limit: int | None = None
    internal_hostname: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


# Required by the official provider for each scaling type.
REQUIRED_SCALING_FIELDS = {
    "manual": MANUAL_FIELDS,
    "horizontal": ("min_instance_count", "max_instance_count"),
}


def _check_scaling(strategy: Any) -> list[Problem]:
    if not isinstance(strategy, dict):  # not known yet
        return []
    kind = strategy.get("type")
    problems = one_of("scaling_strategy.type", kind, SCALING_TYPES)
    wrong = HORIZONTAL_FIELDS if kind == "manual" else MANUAL_FIELDS if kind == "horizontal" else ()
    for name in wrong:
        if strategy.get(name) is not None:
            problems.append((f"scaling_strategy.{name}", f'does not apply to type = "{kind}"'))
    needed = REQUIRED_SCALING_FIELDS.get(str(kind), ())
    for name in needed:  # as the official provider requires
        if strategy.get(name) is None:
            problems.append((f"scaling_strategy.{name}", f'is required when type = "{kind}"'))
    for name in COUNTS:
        problems += whole_number(f"scaling_strategy.{name}", strategy.get(name), 0, 50)
    for name in HORIZONTAL_FIELDS:
        if name not in COUNTS:
            problems += whole_number(f"scaling_strategy.{name}", strategy.get(name), 0)
    low, high = strategy.get("min_instance_count"), strategy.get("max_instance_count")
    if is_number(low) and is_number(high) and Decimal(str(low)) > Decimal(str(high)):
        problems.append(("scaling_strategy.max_instance_count", "must not be less than min_instance_count"))
    return problems


# Seconds a probe waits or counts, with Kubernetes' minimums.
PROBE_TIMINGS = {
    "initial_delay_seconds": 0,
    "period_seconds": 1,
    "timeout_seconds": 1,
    "success_threshold": 1,
    "failure_threshold": 1,
}


def _check_probe(name: str, probe: Any) -> list[Problem]:
    if not isinstance(probe, dict):  # not set, or not known yet
        return []
    handlers = [handler for handler in PROBE_HANDLERS if probe.get(handler) is not None]
    if len(handlers) != 1:
        return [(name, f"needs exactly one of {', '.join(PROBE_HANDLERS)}; got {len(handlers)}")]
    problems: list[Problem] = []
    for timing, least in PROBE_TIMINGS.items():
        problems += whole_number(f"{name}.{timing}", probe.get(timing), least)
    http_get, tcp_socket, command = probe.get("http_get"), probe.get("tcp_socket"), probe.get("exec")
    if isinstance(http_get, dict):
        problems += one_of(f"{name}.http_get.scheme", http_get.get("scheme"), ("HTTP", "HTTPS"))
        problems += port(f"{name}.http_get.port", http_get.get("port"))
        for index, header in enumerate(known_items(http_get.get("http_headers"))):
            if isinstance(header, dict) and not header.get("name"):
                problems.append((f"{name}.http_get.http_headers[{index}].name", "must not be empty"))
    if isinstance(tcp_socket, dict):
        problems += port(f"{name}.tcp_socket.port", tcp_socket.get("port"))
    if isinstance(command, dict) and command.get("command") == []:
        problems.append((f"{name}.exec.command", "must name the command to run"))
    return problems


# A Kubernetes CronJob schedule: five fields, or a macro such as @hourly.
SCHEDULE_PATTERN = r"@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\S+( +\S+){4}"


@register_resource("sevalla_application_process")
class ApplicationProcess(ApplicationChild):
    config_class = ProcessConfig
    state_class = ProcessState
    noun = "application process"
    kind = APPLICATION_PROCESS
    child_id_label = "process_id"

    @classmethod
    def get_schema(cls) -> PvsSchema:
        oc = {"optional": True, "computed": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Process ID."),
                "application_id": application_id_attribute("Application the process belongs to."),
                "display_name": a_str(required=True, description="Display name (1-64 characters)."),
                "type": a_str(
                    required=True,
                    requires_replace=True,
                    description="web, worker, cron or job. The application's default web process exists "
                    'already: a type = "web" resource creates another one.',
                ),
                "resource_type_id": a_str(
                    required=True, description="Size (see sevalla_process_resource_types)."
                ),
                "scaling_strategy": SCALING_STRATEGY,
                "entrypoint": a_str(**oc, description="Start command (default: the image's)."),
                "port": a_num(**oc, description="Port the process listens on (web default 8080)."),
                "schedule": a_str(optional=True, description='Cron schedule (type = "cron").'),
                "job_start_policy": a_str(
                    optional=True,
                    description=f'When a job runs (type = "job"): {", ".join(JOB_START_POLICIES)}.',
                ),
                "time_zone": a_str(**oc, description="Time zone of the schedule."),
                "is_ingress_enabled": a_bool(**oc, description="Reachable from the internet."),
                "ingress_protocol": a_str(**oc, description="http or grpc."),
                "liveness_probe": probe_attribute("Liveness"),
                "readiness_probe": probe_attribute("Readiness"),
                "key": a_str(computed=True, description="Unique key within the application."),
                "resource_type_name": a_str(computed=True, description="Size name."),
                "cpu_limit": a_num(computed=True, description="CPU limit (millicores)."),
                "memory_limit": a_num(computed=True, description="Memory limit (MB)."),
                "internal_hostname": a_str(computed=True, description="Hostname inside the cluster."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: ProcessConfig) -> list[Problem]:
        problems = one_of("type", config.type, TYPES)
        problems += length_between("display_name", config.display_name, 1, 64)
        problems += port("port", config.port)
        problems += matches(
            "schedule",
            str(config.schedule).strip() if is_text(config.schedule) else None,
            SCHEDULE_PATTERN,
            'a cron schedule of five fields ("0 * * * *") or a macro such as @hourly',
        )
        problems += one_of("job_start_policy", config.job_start_policy, JOB_START_POLICIES)
        problems += one_of("ingress_protocol", config.ingress_protocol, ("http", "grpc"))
        if config.type == "cron" and not config.schedule:
            problems.append(("schedule", 'is required when type = "cron"'))
        problems += _check_scaling(json_ready(config.scaling_strategy))
        for name in PROBES:
            problems += _check_probe(name, json_ready(getattr(config, name)))
        return problems

    def from_api(self, application_id: str, body: dict[str, Any], kept: Any) -> ProcessState:
        probes = {name: from_wire(body.get(name), PROBE_TYPE) for name in PROBES}
        return ProcessState(
            application_id=application_id,
            scaling_strategy=scaling_from_wire(body.get("scaling_strategy")),  # type: ignore[arg-type]
            **pick(body, FROM_API),
            **probes,
        )

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        changed = plan_changes(base_plan, ctx.state, UPDATABLE)
        if changed:
            base_plan["updated_at"] = unknown_string()
        if "resource_type_id" in changed:
            base_plan["resource_type_name"] = unknown_string()
            base_plan["cpu_limit"] = base_plan["memory_limit"] = unknown_number()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ProcessState, None]:
        config = typed(ctx.config, ProcessConfig)
        client = get_client()
        create = [name for name in CREATE_FIELDS if getattr(config, name) is not None]
        patch = [name for name in PATCH_ONLY if getattr(config, name) is not None]
        with reported("create application process"):
            body = await client.create(
                APPLICATION_PROCESS.collection(config.application_id), api_body(config, create)
            )
            if patch:
                body = await client.update(
                    APPLICATION_PROCESS.ref(config.application_id, body["id"]), api_body(config, patch)
                )
        return self.from_api(config.application_id, body, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[ProcessState, None]:
        planned = typed(ctx.planned_state, ProcessState)
        changed = plan_changes(attrs.asdict(planned), ctx.state, UPDATABLE)
        body = await patch_or_read(
            "update application process", self.ref(planned), api_body(planned, changed)
        )
        return self.from_api(planned.application_id, body, planned), None
