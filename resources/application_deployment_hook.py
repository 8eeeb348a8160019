"""sevalla_application_deployment_hook: a secret URL that deploys the application when called
(e.g. from CI). It has no id: it is keyed by application_id (import id: the application id).
Create enables it (POST), destroy disables it (DELETE); the URL is sensitive."""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_str, s_resource

from provider.client.kinds import APPLICATION_DEPLOYMENT_HOOK
from provider.diagnostics import reported
from provider.runtime import get_client
from resources._base import SingletonResource, application_id_attribute, typed


@attrs.define(frozen=True)
class DeploymentHookConfig:
    application_id: str


@attrs.define(frozen=True)
class DeploymentHookState(DeploymentHookConfig):
    url: str | None = None


@register_resource("sevalla_application_deployment_hook")
class ApplicationDeploymentHook(SingletonResource):
    config_class = DeploymentHookConfig
    state_class = DeploymentHookState
    noun = "application deployment hook"
    kind = APPLICATION_DEPLOYMENT_HOOK

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "application_id": application_id_attribute("Application the hook deploys."),
                "url": a_str(computed=True, sensitive=True, description="The hook URL (a secret)."),
            }
        )

    def from_api(self, application_id: str, body: dict[str, Any]) -> DeploymentHookState:
        return DeploymentHookState(application_id=application_id, url=body.get("url"))

    async def _create_apply(self, ctx: ResourceContext) -> tuple[DeploymentHookState, None]:
        application_id = typed(ctx.config, DeploymentHookConfig).application_id
        with reported("enable application deployment hook"):
            body = await get_client().create(self.kind.ref(application_id))
        return self.from_api(application_id, body), None

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        application_id = typed(ctx.state, DeploymentHookState).application_id
        with reported("disable application deployment hook"):
            await get_client().delete(self.kind.ref(application_id))
