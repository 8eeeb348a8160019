"""Does Terraform's state match the server? Duplicates, orphans and objects missing on the server.

Compares the resources of `terraform show -json` with the emulator's `/_emulator/objects/list`
(`EmulatorProcess.object_list()`), so the acceptance tests and the chaos run (bench/chaos.py)
count the same things:

- duplicate: two server objects of one kind, under one parent, with the same identity
  (`display_name` of a top-level object, `key` of an environment variable, `name` of a domain);
- orphan: a server object no state resource accounts for (objects the platform makes by itself,
  such as an application's default web process, go with their parent and are never counted);
- missing: a state resource whose object is not on the server.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

import attrs

ServerObject = dict[str, Any]  # {kind, id, parent_id, implicit, body}
Values = dict[str, Any]

ENV_VAR_KINDS = ("application_env_vars", "static_site_env_vars", "global_env_vars")
DOMAIN_KINDS = ("application_domains", "static_site_domains", "load_balancer_domains")
# Kinds without an id of their own in state: one object per parent (type, parent attribute).
SINGLETONS = {
    "sevalla_application_ip_restriction": ("application_ip_restrictions", "application_id"),
    "sevalla_application_deployment_hook": ("application_deployment_hooks", "application_id"),
    "sevalla_database_ip_restriction": ("database_ip_restrictions", "database_id"),
}


@attrs.frozen
class StateResource:
    address: str
    type: str
    values: Values


@attrs.frozen
class Convergence:
    duplicates: tuple[str, ...]
    orphans: tuple[str, ...]
    missing: tuple[str, ...]
    server_objects: int
    state_resources: int

    @property
    def ok(self) -> bool:
        return not (self.duplicates or self.orphans or self.missing)

    def counts(self) -> dict[str, int]:
        return {
            "duplicates": len(self.duplicates),
            "orphans": len(self.orphans),
            "missing": len(self.missing),
        }

    def summary(self) -> str:
        """One line (the counts), then each problem on its own line."""
        head = (
            f"{len(self.duplicates)} duplicates, {len(self.orphans)} orphans, "
            f"{len(self.missing)} state objects missing on the server "
            f"({self.state_resources} state resources, {self.server_objects} server objects)"
        )
        lines = [f"  duplicate: {item}" for item in self.duplicates]
        lines += [f"  orphan: {item}" for item in self.orphans]
        lines += [f"  missing: {item}" for item in self.missing]
        return "\n".join([head, *lines])


def state_resources(shown: dict[str, Any]) -> list[StateResource]:
    """Managed resources of a `terraform show -json` document (all modules)."""
    found: list[StateResource] = []

    def collect(module: dict[str, Any]) -> None:
        for resource in module.get("resources", []):
            if resource.get("mode", "managed") == "managed":
                found.append(
                    StateResource(resource["address"], resource["type"], resource.get("values") or {})
                )
        for child in module.get("child_modules", []):
            collect(child)

    collect(shown.get("values", {}).get("root_module", {}))
    return found


def identity(item: ServerObject) -> str | None:
    """What must be unique: display_name (top-level kinds), key (env vars), name (domains)."""
    body = item["body"]
    if item["kind"] in ENV_VAR_KINDS:
        return body.get("key")
    if item["kind"] in DOMAIN_KINDS:
        return body.get("name")
    if item["parent_id"] is None:
        return body.get("display_name")
    return None


def describe(item: ServerObject) -> str:
    name = identity(item)
    label = f" {name!r}" if name is not None else ""
    parent = f" under {item['parent_id']}" if item["parent_id"] else ""
    return f"{item['kind']}{label} {item['id']}{parent}"


def _claim(resource: StateResource) -> Callable[[ServerObject], bool]:
    """Which server objects this state resource stands for."""
    values = resource.values
    if resource.type in SINGLETONS:
        kind, attribute = SINGLETONS[resource.type]
        return lambda item: item["kind"] == kind and item["parent_id"] == values.get(attribute)
    if resource.type == "sevalla_project_service":  # its id is the attached service's
        return lambda item: (
            item["kind"] == "project_services"
            and item["parent_id"] == values.get("project_id")
            and item["body"].get("service_id") == values.get("service_id")
        )
    if resource.type == "sevalla_pipeline_stage_application":
        member = f"{values.get('stage_id')}:{values.get('application_id')}"
        return lambda item: item["kind"] == "pipeline_stage_apps" and item["id"] == member
    own_id = str(values.get("id") or "").rsplit("/", 1)[-1]  # "<parent>/<id>" ids too
    return lambda item: bool(own_id) and item["id"] == own_id


def compare(resources: Iterable[StateResource], objects: list[ServerObject]) -> Convergence:
    resources = [resource for resource in resources if resource.type.startswith("sevalla_")]
    claimed: set[str] = set()
    missing: list[str] = []
    for resource in resources:
        claim = _claim(resource)
        matched = [item["id"] for item in objects if claim(item)]
        if matched:
            claimed.update(matched)
        else:
            missing.append(f"{resource.address} (id {resource.values.get('id')!r})")

    # What the platform made by itself (a default process) goes with its parent, orphan or not.
    orphans = [describe(item) for item in objects if item["id"] not in claimed and not item["implicit"]]
    groups: dict[tuple[str, str | None, str], list[ServerObject]] = defaultdict(list)
    for item in objects:
        name = identity(item)
        if name is not None and not item["implicit"]:
            groups[(item["kind"], item["parent_id"], name)].append(item)
    duplicates = [
        f"{len(items)} × {kind} {name!r}" + (f" under {parent}" if parent else "")
        + " (" + ", ".join(item["id"] for item in items) + ")"
        for (kind, parent, name), items in groups.items()
        if len(items) > 1
    ]  # fmt: skip
    return Convergence(
        duplicates=tuple(duplicates),
        orphans=tuple(orphans),
        missing=tuple(missing),
        server_objects=len(objects),
        state_resources=len(resources),
    )


_SOURCE_LINE = re.compile(r"^\d+:|^with |^on |^\(and \d+ more|^[│╷╵]")


def errors_in(output: str) -> list[str]:
    """Each `Error:` of Terraform's output as one line: the summary, then its first detail line."""
    errors: list[str] = []
    block: list[str] | None = None
    for raw in [*output.splitlines(), "Error:"]:
        line = raw.strip().lstrip("│").strip()
        if line.startswith("Error:") or line.startswith("Warning:"):
            if block:
                errors.append(" — ".join(block))
            block = [line] if line.startswith("Error:") and line != "Error:" else None
        elif block is not None and len(block) == 1 and line and not _SOURCE_LINE.match(line):
            block.append(line)
    return errors
