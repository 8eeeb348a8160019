"""sevalla_pipeline (data source): one pipeline by id, every attribute computed."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.pipeline import Pipeline as PipelineResource


@register_data_source("sevalla_pipeline")
class Pipeline(ByIdDataSource):
    resource = PipelineResource
    noun = "pipeline"
