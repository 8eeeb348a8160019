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
from pyvider.schema import PvsAttribute, a_list, a_num, a_obj, a_str

from provider.attributes import computed, declared, optional, parent, required
from provider.client.kinds import APPLICATION_PROCESS
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import (
    ApplicationChild,
    Problem,
    Timestamped,
    from_wire,
    json_ready,
    one_of,
    patch_or_read,
    plan_changes,
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


def scaling_read(value: Any, kept: Any) -> dict[str, Any] | None:
    return scaling_from_wire(value)


def probe_read(value: Any, kept: Any) -> Any:
    return from_wire(value, PROBE_TYPE)


@attrs.frozen(kw_only=True)
class ProcessState(Timestamped):
    id: str | None = computed("Process ID.")
    application_id: str = parent("Application the process belongs to.")
    display_name: str = required("Display name (1-64 characters).")
    type: str = required(
        "web, worker, cron or job. The application's default web process exists "
        'already: a type = "web" resource creates another one.',
        requires_replace=True,
    )
    resource_type_id: str = required("Size (see sevalla_process_resource_types).")
    scaling_strategy: dict[str, Any] = declared(SCALING_STRATEGY, read=scaling_read)
    entrypoint: str | None = optional("Start command (default: the image's).", computed=True)
    port: int | None = optional("Port the process listens on (web default 8080).", computed=True)
    schedule: str | None = optional('Cron schedule (type = "cron").')
    job_start_policy: str | None = optional(
        f'When a job runs (type = "job"): {", ".join(JOB_START_POLICIES)}.'
    )
    time_zone: str | None = optional("Time zone of the schedule.", computed=True)
    # Not accepted by the create: sent by a PATCH right after it.
    is_ingress_enabled: bool | None = optional("Reachable from the internet.", computed=True, create=False)
    ingress_protocol: str | None = optional("http or grpc.", computed=True, create=False)
    liveness_probe: dict[str, Any] | None = declared(probe_attribute("Liveness"), read=probe_read)
    readiness_probe: dict[str, Any] | None = declared(probe_attribute("Readiness"), read=probe_read)
    key: str | None = computed("Unique key within the application.")
    resource_type_name: str | None = computed("Size name.")
    cpu_limit: int | None = computed("CPU limit (millicores).")
    memory_limit: int | None = computed("Memory limit (MB).")
    internal_hostname: str | None = computed("Hostname inside the cluster.")


CREATE_FIELDS = ProcessState.names(create=True)
PATCH_ONLY = ProcessState.names(create=False, update=True)
UPDATABLE = ProcessState.names(update=True)


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
    config_class = state_class = ProcessState
    noun = "application process"
    kind = APPLICATION_PROCESS
    child_id_label = "process_id"

    def check(self, config: ProcessState) -> list[Problem]:
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

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        changed = plan_changes(base_plan, ctx.state, UPDATABLE)
        if changed:
            base_plan["updated_at"] = unknown_string()
        if "resource_type_id" in changed:
            base_plan["resource_type_name"] = unknown_string()
            base_plan["cpu_limit"] = base_plan["memory_limit"] = unknown_number()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ProcessState, None]:
        config = typed(ctx.config, ProcessState)
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
