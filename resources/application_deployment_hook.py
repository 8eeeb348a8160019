"""sevalla_application_deployment_hook: a secret URL that deploys the application when called
(e.g. from CI). It has no id: it is keyed by application_id (import id: the application id).
Create enables it (POST), destroy disables it (DELETE); the URL is sensitive."""

from __future__ import annotations

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, computed, parent
from provider.client.kinds import APPLICATION_DEPLOYMENT_HOOK
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import SingletonResource, typed


@attrs.frozen(kw_only=True)
class DeploymentHookState(Table):
    application_id: str = parent("Application the hook deploys.")
    url: str | None = computed("The hook URL (a secret).", sensitive=True)


@register_resource("sevalla_application_deployment_hook")
class ApplicationDeploymentHook(SingletonResource):
    config_class = state_class = DeploymentHookState
    noun = "application deployment hook"
    kind = APPLICATION_DEPLOYMENT_HOOK

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DeploymentHookState, None]:
        application_id = typed(ctx.config, DeploymentHookState).application_id
        with reported("enable application deployment hook"):
            body = await get_client().create(self.kind.ref(application_id))
        return self.from_api(application_id, body), None

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        application_id = typed(ctx.state, DeploymentHookState).application_id
        with reported("disable application deployment hook"):
            await get_client().delete(self.kind.ref(application_id))
