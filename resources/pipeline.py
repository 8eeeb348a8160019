"""sevalla_pipeline: a deployment pipeline (its stages are `sevalla_pipeline_stage`).

Create = POST `{display_name, type, project_id}`; update = PATCH with the changed ones. The
GET embeds the stages, which this type does not model (stage order is never sent).
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsSchema, a_str, s_resource

from provider.client.kinds import PIPELINE
from resources._base import (
    PatchedServiceResource,
    Problem,
    length_between,
    one_of,
    pick,
    timestamp_attributes,
)

TYPES = ("trunk", "branch")
WRITABLE = ("display_name", "type", "project_id")
FROM_API = (*WRITABLE, "id", "company_id", "created_at", "updated_at")


@attrs.define(frozen=True)
class PipelineConfig:
    display_name: str
    type: str
    project_id: str | None = None


@attrs.define(frozen=True)
class PipelineState(PipelineConfig):
    id: str | None = None
    company_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any]) -> PipelineState:
    return PipelineState(**pick(body, FROM_API))


@register_resource("sevalla_pipeline")
class Pipeline(PatchedServiceResource):
    config_class = PipelineConfig
    state_class = PipelineState
    noun = "pipeline"
    kind = PIPELINE
    writable = WRITABLE

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Pipeline ID."),
                "display_name": a_str(required=True, description="Display name (2-64 characters)."),
                "type": a_str(required=True, description=f"Pipeline kind: {', '.join(TYPES)}."),
                "project_id": a_str(
                    optional=True, computed=True, description="Project the pipeline belongs to."
                ),
                "company_id": a_str(computed=True, description="Owning company."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: PipelineConfig) -> list[Problem]:
        return length_between("display_name", config.display_name, 2, 64) + one_of("type", config.type, TYPES)

    def from_api(self, body: dict[str, Any], kept: Any) -> PipelineState:
        return state_from_api(body)
