"""sevalla_application_deployment_hook: a secret URL that deploys the application when called
(e.g. from CI). It has no id: it is keyed by application_id (import id: the application id).
Create enables it (POST), destroy disables it (DELETE); the URL is sensitive."""

from __future__ import annotations

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, computed, parent
from provider.client import endpoints
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import ApplicationSingleton, delete_if_present, typed


@attrs.frozen(kw_only=True)
class DeploymentHookState(Table):
    application_id: str = parent("Application the hook deploys.")
    url: str | None = computed("The hook URL (a secret).", sensitive=True)


DeploymentHookConfig = DeploymentHookState  # one class: a configuration decodes into it too


@register_resource("sevalla_application_deployment_hook")
class ApplicationDeploymentHook(ApplicationSingleton):
    config_class = state_class = DeploymentHookState
    noun = "application deployment hook"

    def path(self, application_id: str) -> str:
        return endpoints.application_deployment_hook(application_id)

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DeploymentHookState, None]:
        application_id = typed(ctx.config, DeploymentHookConfig).application_id
        with reported("enable application deployment hook"):
            body = await get_client().post(self.path(application_id))
        return self.from_api(application_id, body), None

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        application_id = typed(ctx.state, DeploymentHookState).application_id
        await delete_if_present("disable application deployment hook", self.path(application_id))
