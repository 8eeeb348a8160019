"""sevalla_pipeline_stage: one stage of a pipeline.

The API has POST and DELETE for stages, no GET or update: a read finds the stage in the
pipeline's GET (which embeds `stages[]`; a 404 on the pipeline means the stage is gone too), and
every argument replaces the stage. The API names the stage `display_name` (Terraform: `name`).
`insert_before` is a creation input the API never returns: null after an import and adopted from
the configuration without a replacement (so it replaces through the plan, not the schema).
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import ResourceContext, register_resource
from pyvider.schema import PvsSchema, a_bool, a_num, a_str, s_resource

from provider.client.kinds import PIPELINE_STAGE
from provider.diagnostics import reported
from provider.handlers import read_existing, read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    json_ready,
    length_between,
    parent_id_attribute,
    replace_when_changed,
    split_import_id,
    timestamp_attributes,
    typed,
)
from resources._checks import whole_number

COMPUTED = (
    "type",
    "order",
    "auto_create_app",
    "delete_stale_apps",
    "stale_app_days",
    "created_at",
    "updated_at",
)


@attrs.define(frozen=True)
class PipelineStageConfig:
    pipeline_id: str
    name: str
    insert_before: int | None
    branch: str | None = None


@attrs.define(frozen=True)
class PipelineStageState(PipelineStageConfig):
    id: str | None = None
    type: str | None = None
    order: int | None = None
    auto_create_app: bool | None = None
    delete_stale_apps: bool | None = None
    stale_app_days: int | None = None
    created_at: str | None = None
    updated_at: str | None = None


def stage_from_api(pipeline_id: str, body: dict[str, Any], insert_before: Any) -> PipelineStageState:
    return PipelineStageState(
        pipeline_id=pipeline_id,
        id=body.get("id"),
        name=body.get("display_name", body.get("name", "")),
        insert_before=insert_before,
        branch=body.get("branch"),
        **{name: body.get(name) for name in COMPUTED},
    )


@register_resource("sevalla_pipeline_stage")
class PipelineStage(SevallaResource):
    import_parent = "pipeline_id"
    config_class = PipelineStageConfig
    state_class = PipelineStageState
    noun = "pipeline stage"

    @classmethod
    def get_schema(cls) -> PvsSchema:
        replace = {"required": True, "requires_replace": True}
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Stage ID."),
                "pipeline_id": parent_id_attribute("Pipeline the stage belongs to."),
                "name": a_str(**replace, description="Stage name (2-64 characters)."),
                "insert_before": a_num(
                    required=True,
                    description="0-based position the stage is inserted at (the stages from there on move one "
                    "down). Only used at creation; changing it replaces the stage.",
                ),
                "branch": a_str(
                    optional=True,
                    computed=True,
                    requires_replace=True,
                    description="Branch the stage deploys.",
                ),
                "type": a_str(computed=True, description="Stage kind, e.g. standard or preview."),
                "order": a_num(computed=True, description="Current 0-based position in the pipeline."),
                "auto_create_app": a_bool(
                    computed=True, description="Preview stages: create apps for branches."
                ),
                "delete_stale_apps": a_bool(computed=True, description="Preview stages: delete stale apps."),
                "stale_app_days": a_num(
                    computed=True, description="Preview stages: days before an app is stale."
                ),
                **timestamp_attributes(),
            }
        )

    def check(self, config: PipelineStageConfig) -> list[Problem]:
        problems = length_between("name", config.name, 2, 64)
        problems += whole_number("insert_before", config.insert_before, 0)
        return problems + length_between("branch", config.branch, 1, 255)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior = typed(ctx.state, PipelineStageState)
        replace_when_changed(ctx, base_plan, ("insert_before",), imported=prior.insert_before is None)
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[PipelineStageState, None]:
        config = typed(ctx.config, PipelineStageConfig)
        body = {"display_name": config.name, "insert_before": json_ready(config.insert_before)}
        if config.branch is not None:
            body["branch"] = config.branch
        with reported(f"create {self.noun}"):
            created = await get_client().create(PIPELINE_STAGE.collection(config.pipeline_id), body)
        return stage_from_api(config.pipeline_id, created, config.insert_before), None

    async def _update_apply(self, ctx: ResourceContext) -> tuple[PipelineStageState, None]:
        # Only insert_before adopted after an import gets here: nothing to send.
        planned = typed(ctx.planned_state, PipelineStageState)
        ref = PIPELINE_STAGE.ref(planned.pipeline_id, str(planned.id))
        found = await read_existing(f"read {self.noun}", ref)
        return stage_from_api(planned.pipeline_id, found, planned.insert_before), None

    async def read(self, ctx: ResourceContext) -> PipelineStageState | None:
        prior = typed(ctx.state, PipelineStageState)
        found = await read_object(f"read {self.noun}", PIPELINE_STAGE.ref(prior.pipeline_id, str(prior.id)))
        return None if found is None else stage_from_api(prior.pipeline_id, found, prior.insert_before)

    async def _delete_apply(self, ctx: ResourceContext) -> None:
        prior = typed(ctx.state, PipelineStageState)
        with reported(f"delete {self.noun}"):
            await get_client().delete(PIPELINE_STAGE.ref(prior.pipeline_id, str(prior.id)))

    async def import_state(self, ctx: ResourceContext, import_id: str) -> PipelineStageState | None:
        pipeline_id, stage_id = split_import_id(import_id, ("pipeline_id", "stage_id"))
        found = await read_object(f"import {self.noun}", PIPELINE_STAGE.ref(pipeline_id, stage_id))
        return None if found is None else stage_from_api(pipeline_id, found, None)
