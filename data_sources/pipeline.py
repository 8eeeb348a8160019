"""sevalla_pipeline (data source): one pipeline by id, every attribute computed."""

from __future__ import annotations

from typing import Any

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.pipeline import Pipeline as PipelineResource
from resources.pipeline import PipelineState, state_from_api


@register_data_source("sevalla_pipeline")
class Pipeline(ByIdDataSource):
    resource = PipelineResource
    noun = "pipeline"
    state_class = PipelineState

    def from_api(self, body: dict[str, Any]) -> PipelineState:
        return state_from_api(body)
