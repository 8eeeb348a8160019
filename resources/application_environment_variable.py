"""sevalla_application_environment_variable: one environment variable of an application.

The API has no single-variable GET, so a read lists the application's variables and
picks this one (a 404 on the application means the variable is gone too).
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_bool, a_str, s_resource

from provider.client import NotFoundError, SevallaError, endpoints
from provider.diagnostics import reported, to_terraform_error
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    delete_if_present,
    json_ready,
    pick,
    plan_changes,
    split_import_id,
    typed,
    unknown_string,
)

UPDATABLE = ("key", "value", "is_runtime", "is_buildtime")


@attrs.define(frozen=True)
class EnvVarConfig:
    application_id: str
    key: str
    value: str
    is_runtime: bool | None = None
    is_buildtime: bool | None = None


@attrs.define(frozen=True)
class EnvVarState(EnvVarConfig):
    id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(application_id: str, body: dict[str, Any]) -> EnvVarState:
    values = pick(body, ("id", "key", "value", "is_runtime", "is_buildtime", "created_at", "updated_at"))
    return EnvVarState(application_id=application_id, **values)


async def find_env_var(application_id: str, env_var_id: str, action: str) -> EnvVarState | None:
    try:
        items = await get_client().list_all(endpoints.application_env_vars(application_id))
    except NotFoundError:
        return None
    except SevallaError as exc:
        raise to_terraform_error(action, exc) from exc
    for item in items:
        if item.get("id") == env_var_id:
            return state_from_api(application_id, item)
    return None


@register_resource("sevalla_application_environment_variable")
class ApplicationEnvironmentVariable(SevallaResource):
    config_class = EnvVarConfig
    state_class = EnvVarState

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Environment variable ID."),
                "application_id": a_str(
                    required=True, requires_replace=True, description="Application the variable belongs to."
                ),
                "key": a_str(required=True, description="Variable name."),
                "value": a_str(required=True, sensitive=True, description="Variable value (sensitive)."),
                "is_runtime": a_bool(
                    optional=True, computed=True, description="Available at run time (API default true)."
                ),
                "is_buildtime": a_bool(
                    optional=True, computed=True, description="Available at build time (API default true)."
                ),
                "created_at": a_str(computed=True, description="Creation time (ISO 8601)."),
                "updated_at": a_str(computed=True, description="Last update time (ISO 8601)."),
            }
        )

    def check(self, config: EnvVarConfig) -> list[Problem]:
        if len(config.value) > 32768:
            return [("value", "must be at most 32768 characters long")]
        return []

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        if plan_changes(base_plan, ctx.state, UPDATABLE):
            base_plan["updated_at"] = unknown_string()
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[EnvVarState, None]:
        config = typed(ctx.config, EnvVarConfig)
        body = {name: getattr(config, name) for name in UPDATABLE if getattr(config, name) is not None}
        with reported("create application environment variable"):
            created = await get_client().post(endpoints.application_env_vars(config.application_id), body)
        return state_from_api(config.application_id, created), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[EnvVarState, None]:
        planned = typed(ctx.planned_state, EnvVarState)
        prior = typed(ctx.state, EnvVarState)
        changed = plan_changes(attrs.asdict(planned), prior, UPDATABLE)
        path = endpoints.application_env_var(prior.application_id, str(prior.id))
        with reported("update application environment variable"):
            updated = await get_client().put(path, {n: json_ready(getattr(planned, n)) for n in changed})
        return state_from_api(prior.application_id, updated), None

    async def read(self, ctx: ResourceContext) -> EnvVarState | None:
        prior = typed(ctx.state, EnvVarState)
        return await find_env_var(
            prior.application_id, str(prior.id), "read application environment variable"
        )

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, EnvVarState)
        await delete_if_present(
            "delete application environment variable",
            endpoints.application_env_var(prior.application_id, str(prior.id)),
        )

    async def import_state(self, ctx: ResourceContext, import_id: str) -> EnvVarState | None:
        application_id, env_var_id = split_import_id(import_id, ("application_id", "env_var_id"))
        return await find_env_var(application_id, env_var_id, "import application environment variable")
