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

from provider.attributes import computed, needed_to_create, optional, parent, required
from provider.client.kinds import PIPELINE_STAGE
from provider.diagnostics import reported
from provider.handlers import read_existing, read_object
from provider.runtime import get_client
from resources._base import (
    Problem,
    SevallaResource,
    Timestamped,
    json_ready,
    length_between,
    replace_when_changed,
    split_import_id,
    typed,
)
from resources._checks import whole_number


@attrs.frozen(kw_only=True)
class PipelineStageState(Timestamped):
    id: str | None = computed("Stage ID.")
    pipeline_id: str = parent("Pipeline the stage belongs to.")
    name: str = required("Stage name (2-64 characters).", requires_replace=True, api="display_name")
    # A creation input never returned: kept (null after an import, then adopted, see _update).
    insert_before: int | None = needed_to_create(
        "0-based position the stage is inserted at (the stages from there on move one "
        "down). Only used at creation (null after an import, and may stay unset then); changing it "
        "replaces the stage.",
        api=None,
        update=False,
    )
    branch: str | None = optional("Branch the stage deploys.", computed=True, requires_replace=True)
    type: str | None = computed("Stage kind, e.g. standard or preview.")
    order: int | None = computed("Current 0-based position in the pipeline.")
    auto_create_app: bool | None = computed("Preview stages: create apps for branches.")
    delete_stale_apps: bool | None = computed("Preview stages: delete stale apps.")
    stale_app_days: int | None = computed("Preview stages: days before an app is stale.")


def stage_from_api(pipeline_id: str, body: dict[str, Any], insert_before: Any) -> PipelineStageState:
    name = body.get("display_name", body.get("name", ""))
    return PipelineStageState.from_api(body, pipeline_id=pipeline_id, name=name, insert_before=insert_before)


@register_resource("sevalla_pipeline_stage")
class PipelineStage(SevallaResource):
    kind = PIPELINE_STAGE
    import_parent = "pipeline_id"
    config_class = state_class = PipelineStageState
    noun = "pipeline stage"

    def check(self, config: PipelineStageState) -> list[Problem]:
        problems = length_between("name", config.name, 2, 64)
        problems += whole_number("insert_before", config.insert_before, 0)
        return problems + length_between("branch", config.branch, 1, 255)

    async def _update(self, ctx: ResourceContext, base_plan: dict[str, Any]) -> tuple[dict[str, Any], None]:
        prior = typed(ctx.state, PipelineStageState)
        replace_when_changed(ctx, base_plan, ("insert_before",), imported=prior.insert_before is None)
        return base_plan, None

    async def _create_apply(self, ctx: ResourceContext) -> tuple[PipelineStageState, None]:
        config = typed(ctx.config, PipelineStageState)
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
