"""sevalla_project (data source): one project by id, every attribute computed."""

from __future__ import annotations

from pyvider.data_sources import register_data_source

from data_sources._by_id import ByIdDataSource
from resources.project import Project as ProjectResource


@register_data_source("sevalla_project")
class Project(ByIdDataSource):
    resource = ProjectResource
    noun = "project"
