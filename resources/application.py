"""sevalla_application: an application (a service built from git or a Docker image).

Create is POST with the create-time fields, then one PATCH with the build settings the
configuration sets (as the official provider does). The API does not return cluster_id,
so it is kept from state, and adopted from the configuration after an import instead of
forcing a replacement.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial
from typing import Any, Self

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import a_list, a_num, a_obj, a_str

from provider.attributes import (
    computed,
    declared,
    listed,
    needed_to_create,
    optional,
    projected,
    required,
    switchable,
)
from provider.client.kinds import APPLICATION
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import (
    Problem,
    ServiceResource,
    Timestamped,
    json_ready,
    null_string,
    one_of,
    patch_or_read,
    plan_changes,
    replace_when_changed,
    typed,
    unknown_string,
)
from resources._checks import is_text, known_items, length_between, not_empty, whole_number

SOURCES = ("privateGit", "publicGit", "dockerImage")
GIT_TYPES = ("github", "bitbucket", "gitlab")
BUILD_TYPES = ("dockerfile", "pack", "nixpacks")
# Fields that only mean something for one build type: null in state for the others.
BUILD_TYPE_FIELDS = {
    "dockerfile_path": "dockerfile",
    "docker_context": "dockerfile",
    "pack_builder": "pack",
    "nixpacks_version": "nixpacks",
}


def unused_build_fields(build_type: Any, configured: Callable[[str], Any]) -> list[str]:
    """The build fields of other build types that the configuration leaves unset: planned null."""
    return [
        name
        for name, needed in BUILD_TYPE_FIELDS.items()
        if build_type != needed and configured(name) is None
    ]


# Build settings: sent by the PATCH that follows the create (and by updates), not by the POST.
build_setting = partial(optional, computed=True, create=False)


@attrs.frozen(kw_only=True)
class ApplicationState(Timestamped):
    id: str | None = computed("Application ID.")
    display_name: str = required("Display name (2-64 characters).")
    # Never returned: kept from state, null after an import (then adopted, see _update).
    cluster_id: str | None = needed_to_create(
        "Cluster the application runs in (never returned by the API: null after an import, and may "
        "stay unset then). Changing it replaces the application.",
        api=None,
        update=False,
    )
    source: str = required("One of privateGit, publicGit, dockerImage.")
    project_id: str | None = optional("Project the application belongs to.", update=False)
    repo_url: str | None = optional("Git repository URL.")
    docker_image: str | None = optional("Docker image (source = dockerImage).")
    docker_registry_credential_id: str | None = optional("Docker registry credential for private images.")
    git_type: str | None = optional("One of github, bitbucket, gitlab.", computed=True)
    default_branch: str | None = optional("Branch deployed by default.", computed=True)
    auto_deploy: bool | None = build_setting("Deploy on every push to the default branch.")
    build_type: str | None = build_setting("One of dockerfile, pack, nixpacks.", default="dockerfile")
    build_path: str | None = build_setting("Build path in the repository.", default=".")
    build_cache_enabled: bool | None = build_setting("Reuse the build cache.")
    hibernation_enabled: bool | None = build_setting("Hibernate when idle.")
    hibernate_after_seconds: int | None = build_setting("Idle seconds before hibernation.")
    dockerfile_path: str | None = build_setting("Dockerfile path (build_type = dockerfile).")
    docker_context: str | None = build_setting("Docker build context (build_type = dockerfile).")
    pack_builder: str | None = build_setting("Buildpacks builder image (build_type = pack).")
    nixpacks_version: str | None = build_setting("Nixpacks version (build_type = nixpacks).")
    allow_deploy_paths: list[str] | None = build_setting(
        "Only changes under these paths deploy.", read=listed
    )
    ignore_deploy_paths: list[str] | None = build_setting(
        "Changes under these paths never deploy.", read=listed
    )
    buildpacks: list[dict[str, Any]] | None = declared(
        a_list(
            a_obj({"order": a_num(), "source": a_str()}),
            optional=True,
            computed=True,
            description="Buildpacks, in order (build_type = pack).",
        ),
        create=False,
        read=projected("order", "source"),
    )
    wait_for_checks: bool | None = build_setting("Wait for git checks before deploying.")
    name: str | None = computed("Unique name derived from the display name.")
    namespace: str | None = computed("Kubernetes namespace.")
    company_id: str | None = computed("Owning company.")
    type: str | None = computed("Application type.")
    status: str | None = computed("Current status.")
    is_suspended: bool | None = switchable(
        "Whether the application is suspended.",
        "Set true to suspend it, false to activate it (unset: as it is in Sevalla); activation "
        "comes before any other change, suspension after.",
    )
    created_by: str | None = computed("User who created it.")

    @classmethod
    def from_api(cls, body: Mapping[str, Any], kept: Any = None, **given: Any) -> Self:
        """The settings of other build types than the application's are null."""
        state = super().from_api(body, kept, **given)
        unused: dict[str, Any] = {
            name: None for name, needed in BUILD_TYPE_FIELDS.items() if state.build_type != needed
        }
        return attrs.evolve(state, **unused)


CREATE_FIELDS = ApplicationState.names(create=True)
PATCH_FIELDS = ApplicationState.names(update=True)


@register_resource("sevalla_application")
class Application(ServiceResource):
    config_class = state_class = ApplicationState
    kind = APPLICATION
    noun = "application"

    def check(self, config: ApplicationState) -> list[Problem]:
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

    @classmethod
    def plans_unchanged_as_proposed(cls, config: dict[str, Any], prior: dict[str, Any]) -> bool:
        # The plan nulls the unused build fields: unchanged only where the state has them null.
        unused = unused_build_fields(prior.get("build_type"), config.get)
        return all(prior.get(name) is None for name in unused)

    def _null_unused_build_fields(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> None:
        build_type = base_plan.get("build_type")
        if not isinstance(build_type, str):
            return
        for name in unused_build_fields(build_type, lambda field: getattr(ctx.config, field, None)):
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

    def _patch_body(self, planned: ApplicationState, config: ApplicationState) -> dict[str, Any]:
        """The configured PATCH fields (unset optional+computed fields stay as the API has them)."""
        return {
            name: json_ready(getattr(planned, name))
            for name in PATCH_FIELDS
            if getattr(config, name, None) is not None
        }

    async def _create_apply(self, ctx: ResourceContext) -> tuple[ApplicationState, None]:
        planned = typed(ctx.planned_state, ApplicationState)
        config = typed(ctx.config, ApplicationState)
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
        return ApplicationState.from_api(body, config), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[ApplicationState, None]:
        planned = typed(ctx.planned_state, ApplicationState)
        prior = typed(ctx.state, ApplicationState)
        changed = plan_changes(attrs.asdict(planned), prior, PATCH_FIELDS)
        body = await patch_or_read(
            "update application",
            APPLICATION.ref(str(prior.id)),
            {n: json_ready(getattr(planned, n)) for n in changed},
        )
        return ApplicationState.from_api(body, planned), None
