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
from pyvider.schema import PvsSchema, s_resource

from provider.client.kinds import PIPELINE_STAGE_APPLICATION, Ref
from provider.diagnostics import reported
from provider.handlers import read_object
from provider.runtime import get_client
from resources._base import SevallaResource, parent_id_attribute, split_import_id, typed


@attrs.define(frozen=True)
class StageApplicationConfig:
    pipeline_id: str
    stage_id: str
    application_id: str


@register_resource("sevalla_pipeline_stage_application")
class PipelineStageApplication(SevallaResource):
    config_class = StageApplicationConfig
    state_class = StageApplicationConfig
    noun = "pipeline stage application"

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "pipeline_id": parent_id_attribute("Pipeline of the stage."),
                "stage_id": parent_id_attribute("Stage the application is placed in."),
                "application_id": parent_id_attribute("Application placed in the stage."),
            }
        )

    @staticmethod
    def ref(values: StageApplicationConfig) -> Ref:
        return PIPELINE_STAGE_APPLICATION.ref(values.pipeline_id, values.stage_id, values.application_id)

    async def _find(self, action: str, values: StageApplicationConfig) -> StageApplicationConfig | None:
        found = await read_object(f"{action} {self.noun}", self.ref(values))
        return None if found is None else values

    async def _create_apply(self, ctx: ResourceContext) -> tuple[StageApplicationConfig, None]:
        config = typed(ctx.config, StageApplicationConfig)
        collection = PIPELINE_STAGE_APPLICATION.collection(config.pipeline_id, config.stage_id)
        with reported(f"create {self.noun}"):
            await get_client().create(collection, {"app_id": config.application_id})
        return config, None

    async def read(self, ctx: ResourceContext) -> StageApplicationConfig | None:
        return await self._find("read", typed(ctx.state, StageApplicationConfig))

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        with reported(f"delete {self.noun}"):
            await get_client().delete(self.ref(typed(ctx.state, StageApplicationConfig)))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> StageApplicationConfig | None:
        pipeline_id, stage_id, application_id = split_import_id(
            import_id, ("pipeline_id", "stage_id", "application_id")
        )
        values = StageApplicationConfig(
            pipeline_id=pipeline_id, stage_id=stage_id, application_id=application_id
        )
        return await self._find("import", values)
