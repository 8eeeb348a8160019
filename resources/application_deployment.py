"""sevalla_application_deployment: triggers a deployment of an application and waits for it.

Create POSTs a deployment (`is_restart = true`, the default, reuses the last build) and polls
it every 2 s until it ends: `success` completes the apply, `failed` or `cancelled` is an error
naming the deployment (nothing is kept in state, so the next apply deploys again). The wait is
bounded by `timeouts = { create = "30m" }` and stops when Terraform is interrupted.

A deployment is an event, not an object to keep in sync: read keeps the state as it is (it
never re-reads the API), destroy only forgets it. A `triggers` change replaces the resource,
i.e. deploys again (e.g. `triggers = { image = var.image }`); an `is_restart` change deploys
again in place. There is no import.
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, computed, optional, parent
from provider.client import SevallaError
from provider.client.kinds import APPLICATION_DEPLOYMENT
from provider.diagnostics import reported, to_terraform_error
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    check_timeouts,
    pick,
    plan_changes,
    timeout_seconds,
    timeouts_field,
    typed,
    unknown_string,
    wait_for_status,
)

TIMEOUT_DEFAULTS = {"create": "30m", "update": "30m"}
TERMINAL = ("success", "failed", "cancelled", "skipped")


class DeploymentFailed(SevallaError):
    pass


@attrs.frozen(kw_only=True)
class DeploymentState(Table):
    id: str | None = computed("ID of the deployment this resource triggered.")
    application_id: str = parent("Application to deploy.")
    is_restart: bool | None = optional(
        "Restart with the last build (true) or build anew (false). Changing it deploys again.",
        computed=True,
        default=True,
        api=None,
    )
    triggers: dict[str, str] | None = optional(
        "Arbitrary values; any change deploys again (replaces the resource).",
        requires_replace=True,
        api=None,
        create=False,
    )
    timeouts: dict[str, Any] | None = timeouts_field(TIMEOUT_DEFAULTS)
    status: str | None = computed(
        "Final status (success). Kept as it was at apply time: read never refreshes a deployment."
    )
    created_at: str | None = computed("When the deployment was triggered.")
    finished_at: str | None = computed("When the deployment ended.")


FROM_API = COMPUTED = DeploymentState.names(returned=True)


@register_resource("sevalla_application_deployment")
class ApplicationDeployment(SevallaResource):
    kind = APPLICATION_DEPLOYMENT
    config_class = state_class = DeploymentState

    def check(self, config: DeploymentState) -> list[Problem]:
        return check_timeouts(config.timeouts)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        if plan_changes(base_plan, ctx.state, ("is_restart",)):
            for name in COMPUTED:
                base_plan[name] = unknown_string()
        return base_plan, None

    async def _deploy(self, values: DeploymentState, operation: str) -> dict[str, Any]:
        application_id = values.application_id
        is_restart = True if values.is_restart is None else values.is_restart
        with reported("deploy application"):
            created = await get_client().create(
                APPLICATION_DEPLOYMENT.collection(application_id), {"is_restart": is_restart}
            )
        finished = await wait_for_status(
            APPLICATION_DEPLOYMENT.ref(application_id, created["id"]),
            TERMINAL,
            within=timeout_seconds(values.timeouts, operation, TIMEOUT_DEFAULTS),
            action="wait for the deployment to finish",
        )
        if finished.get("status") != "success":
            raise to_terraform_error(
                "deploy application",
                DeploymentFailed(
                    f"Deployment {created['id']} of application {application_id} ended "
                    f"{finished.get('status')!r}. See its logs in Sevalla; the next apply deploys again."
                ),
            )
        return pick(finished, FROM_API)

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DeploymentState, None]:
        config = typed(ctx.config, DeploymentState)
        planned = typed(ctx.planned_state, DeploymentState)
        deployed = await self._deploy(config, "create")
        return attrs.evolve(planned, **deployed), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[DeploymentState, None]:
        planned = typed(ctx.planned_state, DeploymentState)
        prior = typed(ctx.state, DeploymentState)
        if planned.is_restart == prior.is_restart:
            return attrs.evolve(planned, **pick(attrs.asdict(prior), COMPUTED)), None
        return attrs.evolve(planned, **(await self._deploy(planned, "update"))), None

    async def read(self, ctx: ResourceContext) -> DeploymentState:
        return typed(ctx.state, DeploymentState)

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        return None
