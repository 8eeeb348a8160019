"""sevalla_pipeline: a deployment pipeline (its stages are `sevalla_pipeline_stage`).

Create = POST `{display_name, type, project_id}`; update = PATCH with the changed ones. The
GET embeds the stages, which this type does not model (stage order is never sent).
"""

from __future__ import annotations

import attrs
from pyvider.resources import register_resource

from provider.attributes import computed, optional, required
from provider.client.kinds import PIPELINE
from resources._base import PatchedServiceResource, Problem, Timestamped, length_between, one_of

TYPES = ("trunk", "branch")


@attrs.frozen(kw_only=True)
class PipelineState(Timestamped):
    id: str | None = computed("Pipeline ID.")
    display_name: str = required("Display name (2-64 characters).")
    type: str = required(f"Pipeline kind: {', '.join(TYPES)}.")
    project_id: str | None = optional("Project the pipeline belongs to.", computed=True)
    company_id: str | None = computed("Owning company.")


@register_resource("sevalla_pipeline")
class Pipeline(PatchedServiceResource):
    config_class = state_class = PipelineState
    noun = "pipeline"
    kind = PIPELINE

    def check(self, config: PipelineState) -> list[Problem]:
        return length_between("display_name", config.display_name, 2, 64) + one_of("type", config.type, TYPES)
