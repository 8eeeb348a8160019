"""sevalla_application: an application (a service built from git or a Docker image).

Create is POST with the create-time fields, then one PATCH with the build settings the
configuration sets (as the official provider does). The API does not return cluster_id,
so it is kept from state, and adopted from the configuration after an import instead of
forcing a replacement.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_bool, a_list, a_num, a_obj, a_str, s_resource

from provider.client.kinds import APPLICATION
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import (
    Problem,
    ServiceResource,
    json_ready,
    null_string,
    one_of,
    patch_or_read,
    pick,
    plan_changes,
    replace_when_changed,
    timestamp_attributes,
    typed,
    unknown_string,
)
from resources._checks import is_text, known_items, length_between, not_empty, whole_number

SOURCES = ("privateGit", "publicGit", "dockerImage")
GIT_TYPES = ("github", "bitbucket", "gitlab")
BUILD_TYPES = ("dockerfile", "pack", "nixpacks")

CREATE_FIELDS = (
    "display_name", "cluster_id", "source", "project_id", "git_type", "repo_url",
    "default_branch", "docker_image", "docker_registry_credential_id",
)  # fmt: skip
PATCH_FIELDS = (
    "display_name", "auto_deploy", "default_branch", "hibernation_enabled", "hibernate_after_seconds",
    "build_type", "build_path", "dockerfile_path", "docker_context", "build_cache_enabled",
    "docker_registry_credential_id", "pack_builder", "nixpacks_version", "allow_deploy_paths",
    "ignore_deploy_paths", "buildpacks", "source", "git_type", "repo_url", "docker_image",
    "wait_for_checks",
)  # fmt: skip
# Fields that only mean something for one build type: null in state for the others.
BUILD_TYPE_FIELDS = {
    "dockerfile_path": "dockerfile",
    "docker_context": "dockerfile",
    "pack_builder": "pack",
    "nixpacks_version": "nixpacks",
}
COMPUTED_FIELDS = (
    "id", "name", "namespace", "company_id", "type", "status", "is_suspended", "created_by",
    "created_at", "updated_at",
)  # fmt: skip


@attrs.define(frozen=True)
class ApplicationConfig:
    display_name: str
    cluster_id: str
    source: str
    project_id: str | None = None
    repo_url: str | None = None
    docker_image: str | None = None
    docker_registry_credential_id: str | None = None
    git_type: str | None = None
    default_branch: str | None = None
    auto_deploy: bool | None = None
    build_type: str | None = None
    build_path: str | None = None
    build_cache_enabled: bool | None = None
    hibernation_enabled: bool | None = None
    hibernate_after_seconds: int | None = None
    dockerfile_path: str | None = None
    docker_context: str | None = None
    pack_builder: str | None = None
    nixpacks_version: str | None = None
    allow_deploy_paths: list[str] | None = None
    ignore_deploy_paths: list[str] | None = None
    buildpacks: list[dict[str, Any]] | None = None
    wait_for_checks: bool | None = None


@attrs.define(frozen=True)
class ApplicationState(ApplicationConfig):
    id: str | None = None
    name: str | None = None
    namespace: str | None = None
    company_id: str | None = None
    type: str | None = None
    status: str | None = None
    is_suspended: bool | None = None
    created_by: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any], cluster_id: str | None) -> ApplicationState:
    # cluster_id is null after an import: the API never returns it.
    values = pick(body, [f.name for f in attrs.fields(ApplicationState) if f.name != "cluster_id"])
    build_type = values.get("build_type")
    for name, needed in BUILD_TYPE_FIELDS.items():
        if build_type != needed:
            values[name] = None
    values["buildpacks"] = [
        {"order": bp.get("order"), "source": bp.get("source")} for bp in body.get("buildpacks") or []
    ]
    values["allow_deploy_paths"] = list(body.get("allow_deploy_paths") or [])
    values["ignore_deploy_paths"] = list(body.get("ignore_deploy_paths") or [])
    return ApplicationState(cluster_id=cluster_id, **values)  # type: ignore[arg-type]


@register_resource("sevalla_application")
class Application(ServiceResource):
    config_class = ApplicationConfig
    state_class = ApplicationState
    kind = APPLICATION
    noun = "application"

    @classmethod
    def get_schema(cls) -> PvsSchema:
        oc = {"optional": True, "computed": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Application ID."),
                "display_name": a_str(required=True, description="Display name (2-64 characters)."),
                "cluster_id": a_str(
                    required=True,
                    description="Cluster the application runs in. Changing it replaces the application.",
                ),
                "source": a_str(required=True, description="One of privateGit, publicGit, dockerImage."),
                "project_id": a_str(optional=True, description="Project the application belongs to."),
                "repo_url": a_str(optional=True, description="Git repository URL."),
                "docker_image": a_str(optional=True, description="Docker image (source = dockerImage)."),
                "docker_registry_credential_id": a_str(
                    optional=True, description="Docker registry credential for private images."
                ),
                "git_type": a_str(**oc, description="One of github, bitbucket, gitlab."),
                "default_branch": a_str(**oc, description="Branch deployed by default."),
                "auto_deploy": a_bool(**oc, description="Deploy on every push to the default branch."),
                "build_type": a_str(
                    optional=True,
                    computed=True,
                    default="dockerfile",
                    description="One of dockerfile, pack, nixpacks.",
                ),  # fmt: skip
                "build_path": a_str(
                    optional=True, computed=True, default=".", description="Build path in the repository."
                ),
                "build_cache_enabled": a_bool(**oc, description="Reuse the build cache."),
                "hibernation_enabled": a_bool(**oc, description="Hibernate when idle."),
                "hibernate_after_seconds": a_num(**oc, description="Idle seconds before hibernation."),
                "dockerfile_path": a_str(**oc, description="Dockerfile path (build_type = dockerfile)."),
                "docker_context": a_str(**oc, description="Docker build context (build_type = dockerfile)."),
                "pack_builder": a_str(**oc, description="Buildpacks builder image (build_type = pack)."),
                "nixpacks_version": a_str(**oc, description="Nixpacks version (build_type = nixpacks)."),
                "allow_deploy_paths": a_list(
                    a_str(), **oc, description="Only changes under these paths deploy."
                ),
                "ignore_deploy_paths": a_list(
                    a_str(), **oc, description="Changes under these paths never deploy."
                ),
                "buildpacks": a_list(
                    a_obj({"order": a_num(), "source": a_str()}),
                    **oc,
                    description="Buildpacks, in order (build_type = pack).",
                ),
                "wait_for_checks": a_bool(**oc, description="Wait for git checks before deploying."),
                "name": a_str(computed=True, description="Unique name derived from the display name."),
                "namespace": a_str(computed=True, description="Kubernetes namespace."),
                "company_id": a_str(computed=True, description="Owning company."),
                "type": a_str(computed=True, description="Application type."),
                "status": a_str(computed=True, description="Current status."),
                "is_suspended": a_bool(computed=True, description="Whether the application is suspended."),
                "created_by": a_str(computed=True, description="User who created it."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: ApplicationConfig) -> list[Problem]:
        problems = one_of("source", config.source, SOURCES) + one_of("git_type", config.git_type, GIT_TYPES)
        build_type = config.build_type or "dockerfile"
        problems += one_of("build_type", build_type, BUILD_TYPES)
        for name, needed in BUILD_TYPE_FIELDS.items():
            if is_text(build_type) and getattr(config, name) is not None and build_type != needed:
                problems.append((name, f'only applies when build_type = "{needed}" (it is "{build_type}")'))
        problems += length_between("display_name", config.display_name, 2, 64)
        problems += not_empty("default_branch", config.default_branch)
        problems += whole_number("hibernate_after_seconds", config.hibernate_after_seconds, 0)
        for index, buildpack in enumerate(known_items(config.buildpacks)):
            buildpack = json_ready(buildpack)
            if not isinstance(buildpack, dict):
                continue
            for name in ("order", "source"):
                if buildpack.get(name) is None:
                    problems.append((f"buildpacks[{index}].{name}", "is required"))
            problems += whole_number(f"buildpacks[{index}].order", buildpack.get("order"), 0)
            problems += not_empty(f"buildpacks[{index}].source", buildpack.get("source"))
        return problems

    def _null_unused_build_fields(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> None:
        build_type = base_plan.get("build_type")
        if not isinstance(build_type, str):
            return
        for name, needed in BUILD_TYPE_FIELDS.items():
            if build_type != needed and getattr(ctx.config, name, None) is None:
                base_plan[name] = null_string()

    async def _create(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        self._null_unused_build_fields(ctx, base_plan)
        return base_plan, None

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior = typed(ctx.state, ApplicationState)
        # cluster_id is required, so a null one means the object was imported.
        replace_when_changed(ctx, base_plan, ("cluster_id",), imported=prior.cluster_id is None)
        self._null_unused_build_fields(ctx, base_plan)
        if plan_changes(base_plan, prior, PATCH_FIELDS):
            base_plan["updated_at"] = unknown_string()
        return base_plan, None

    def _patch_body(self, planned: ApplicationState, config: ApplicationConfig) -> dict[str, Any]:
        """The configured PATCH fields (unset optional+computed fields stay as the API has them)."""
        return {
            name: json_ready(getattr(planned, name))
            for name in PATCH_FIELDS
            if getattr(config, name, None) is not None
        }

    def from_api(self, body: dict[str, Any], kept: Any) -> ApplicationState:
        return state_from_api(body, getattr(kept, "cluster_id", None))

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ApplicationState, None]:
        planned = typed(ctx.planned_state, ApplicationState)
        config = typed(ctx.config, ApplicationConfig)
        client = get_client()
        create_body = {
            name: json_ready(getattr(config, name))
            for name in CREATE_FIELDS
            if getattr(config, name) is not None
        }
        with reported("create application"):
            body = await client.create(APPLICATION.collection(), create_body)
            patch = {k: v for k, v in self._patch_body(planned, config).items() if k not in create_body}
            if patch:
                body = await client.update(APPLICATION.ref(body["id"]), patch)
        return state_from_api(body, config.cluster_id), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[ApplicationState, None]:
        planned = typed(ctx.planned_state, ApplicationState)
        prior = typed(ctx.state, ApplicationState)
        changed = plan_changes(attrs.asdict(planned), prior, PATCH_FIELDS)
        body = await patch_or_read(
            "update application",
            APPLICATION.ref(str(prior.id)),
            {n: json_ready(getattr(planned, n)) for n in changed},
        )
        return state_from_api(body, planned.cluster_id), None
