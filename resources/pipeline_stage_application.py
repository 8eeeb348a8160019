"""sevalla_pipeline_stage_application: an application placed in a pipeline stage. No id: keyed by
pipeline_id, stage_id and application_id (import id `<pipeline_id>/<stage_id>/<application_id>`).

Create = POST `…/stages/{stage_id}/apps {app_id}`, delete = DELETE `…/apps/{app_id}`; every
argument replaces. A read looks at the pipeline's GET: gone when the pipeline or the stage is
gone, or, when the API lists the stage's `apps` (the CLI's shape), when the application is not
among them. (The official provider only checks that the stage exists.)
"""

from __future__ import annotations

import attrs
from pyvider.resources import ResourceContext, register_resource

from provider.attributes import Table, parent
from provider.client.kinds import PIPELINE_STAGE_APPLICATION, Ref
from provider.diagnostics import reported
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import SevallaResource, split_import_id, typed


@attrs.frozen(kw_only=True)
class StageApplicationState(Table):
    pipeline_id: str = parent("Pipeline of the stage.")
    stage_id: str = parent("Stage the application is placed in.")
    application_id: str = parent("Application placed in the stage.")


@register_resource("sevalla_pipeline_stage_application")
class PipelineStageApplication(SevallaResource):
    kind = PIPELINE_STAGE_APPLICATION
    config_class = state_class = StageApplicationState
    noun = "pipeline stage application"

    @staticmethod
    def ref(values: StageApplicationState) -> Ref:
        return PIPELINE_STAGE_APPLICATION.ref(values.pipeline_id, values.stage_id, values.application_id)

    async def _find(self, action: str, values: StageApplicationState) -> StageApplicationState | None:
        found = await read_object(f"{action} {self.noun}", self.ref(values))
        return None if found is None else values

    async def _create_apply(self, ctx: ResourceContext) -> tuple[StageApplicationState, None]:
        config = typed(ctx.config, StageApplicationState)
        collection = PIPELINE_STAGE_APPLICATION.collection(config.pipeline_id, config.stage_id)
        with reported(f"create {self.noun}"):
            await get_client().create(collection, {"app_id": config.application_id})
        return config, None

    async def read(self, ctx: ResourceContext) -> StageApplicationState | None:
        return await self._find("read", typed(ctx.state, StageApplicationState))

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        with reported(f"delete {self.noun}"):
            await get_client().delete(self.ref(typed(ctx.state, StageApplicationState)))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> StageApplicationState | None:
        pipeline_id, stage_id, application_id = split_import_id(
            import_id, ("pipeline_id", "stage_id", "application_id")
        )
        values = StageApplicationState(
            pipeline_id=pipeline_id, stage_id=stage_id, application_id=application_id
        )
        return await self._find("import", values)
