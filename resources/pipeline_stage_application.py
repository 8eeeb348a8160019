"""sevalla_pipeline_stage_application: an application placed in a pipeline stage. No id: keyed by
pipeline_id, stage_id and application_id (import id `<pipeline_id>/<stage_id>/<application_id>`).

Create = POST `…/stages/{stage_id}/apps {app_id}`, delete = DELETE `…/apps/{app_id}`; every
argument replaces. A read looks at the pipeline's GET: gone when the pipeline or the stage is
gone, or, when the API lists the stage's `apps` (the CLI's shape), when the application is not
among them. (The official provider only checks that the stage exists.)
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, parent
from provider.client import endpoints
from provider.runtime import get_client
from resources._base import (
    SevallaResource,
    attach,
    delete_if_present,
    split_import_id,
    typed,
)
from resources.pipeline_stage import find_stage


@attrs.frozen(kw_only=True)
class StageApplicationState(Table):
    pipeline_id: str = parent("Pipeline of the stage.")
    stage_id: str = parent("Stage the application is placed in.")
    application_id: str = parent("Application placed in the stage.")


StageApplicationConfig = StageApplicationState  # one class: a configuration decodes into it too


def is_member(stage: dict[str, Any], application_id: str) -> bool:
    apps = stage.get("apps")
    if apps is None:  # the API left the list out: the stage's existence is all we know
        return True
    return any((app.get("id") if isinstance(app, dict) else app) == application_id for app in apps)


@register_resource("sevalla_pipeline_stage_application")
class PipelineStageApplication(SevallaResource):
    config_class = state_class = StageApplicationState
    noun = "pipeline stage application"

    async def _find(self, action: str, values: StageApplicationConfig) -> StageApplicationConfig | None:
        stage = await find_stage(f"{action} {self.noun}", values.pipeline_id, values.stage_id)
        if stage is None or not is_member(stage, values.application_id):
            return None
        return values

    async def _create_apply(self, ctx: ResourceContext) -> tuple[StageApplicationConfig, None]:
        config = typed(ctx.config, StageApplicationConfig)
        await attach(
            f"create {self.noun}",
            endpoints.pipeline_stage_apps(config.pipeline_id, config.stage_id),
            {"app_id": config.application_id},
            lambda: self._attached(config),
        )
        return config, None

    async def _attached(self, values: StageApplicationConfig) -> bool:
        """Is the application in the stage? (a fresh read of the pipeline)"""
        pipeline = await get_client().get(endpoints.pipeline(values.pipeline_id), fresh=True)
        stage = next((s for s in pipeline.get("stages") or [] if s.get("id") == values.stage_id), None)
        return stage is not None and is_member(stage, values.application_id)

    async def read(self, ctx: ResourceContext) -> StageApplicationConfig | None:
        return await self._find("read", typed(ctx.state, StageApplicationConfig))

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, StageApplicationConfig)
        path = endpoints.pipeline_stage_app(prior.pipeline_id, prior.stage_id, prior.application_id)
        await delete_if_present(f"delete {self.noun}", path)

    async def import_state(self, ctx: ResourceContext, import_id: str) -> StageApplicationConfig | None:
        pipeline_id, stage_id, application_id = split_import_id(
            import_id, ("pipeline_id", "stage_id", "application_id")
        )
        values = StageApplicationConfig(
            pipeline_id=pipeline_id, stage_id=stage_id, application_id=application_id
        )
        return await self._find("import", values)
