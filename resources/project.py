"""sevalla_project: a project grouping services (applications, databases, buckets, ...).

Create = POST `{display_name}`; update = PATCH `{display_name}`. Services are attached with
`sevalla_project_service`, not here (the project's `services[]` is not an attribute, as in the
official provider).
"""

from __future__ import annotations

from typing import Any

import attrs
from pyvider.resources import register_resource
from pyvider.schema import PvsSchema, a_str, s_resource

from provider.client.kinds import PROJECT
from resources._base import (
    PatchedServiceResource,
    Problem,
    length_between,
    pick,
    timestamp_attributes,
)

WRITABLE = ("display_name",)
FROM_API = ("id", "display_name", "name", "company_id", "created_at", "updated_at")


@attrs.define(frozen=True)
class ProjectConfig:
    display_name: str


@attrs.define(frozen=True)
class ProjectState(ProjectConfig):
    id: str | None = None
    name: str | None = None
    company_id: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


def state_from_api(body: dict[str, Any]) -> ProjectState:
    return ProjectState(**pick(body, FROM_API))  # type: ignore[arg-type]


@register_resource("sevalla_project")
class Project(PatchedServiceResource):
    config_class = ProjectConfig
    state_class = ProjectState
    noun = "project"
    kind = PROJECT
    writable = WRITABLE

    @classmethod
    def get_schema(cls) -> PvsSchema:
        return s_resource(
            attributes={
                "id": a_str(computed=True, description="Project ID."),
                "display_name": a_str(required=True, description="Display name (2-64 characters)."),
                "name": a_str(computed=True, description="Unique name derived from the display name."),
                "company_id": a_str(computed=True, description="Owning company."),
                **timestamp_attributes(),
            }
        )

    def check(self, config: ProjectConfig) -> list[Problem]:
        return length_between("display_name", config.display_name, 2, 64)

    def from_api(self, body: dict[str, Any], kept: Any) -> ProjectState:
        return state_from_api(body)
